!> The f2py surface of the thermal model: plain external subroutines with
!> explicit-shape arrays and integer flags (no derived types, no assumed
!> shapes), so the hand-kept signature file _krccore.pyf stays simple.
!> Every routine returns status (0 = ok, codes in krc_constants) and a
!> message; none stops.  Reentrant: safe to call from several threads.

!> Words of the print log of a case (krc_season::print_log_size; 0: the
!> case prints none of the season-loop tables of krc-print-extras).
subroutine krc_print_log_size(fd, id, ld, n4, porb, nzone, nzc, zone, n)
  use krc_constants, only: dp, NFD, NID, NLD, NPORB
  use krc_season, only: print_log_size
  implicit none
  integer, intent(in) :: n4, nzone, nzc
  real(dp), intent(in) :: fd(NFD), porb(NPORB), zone(4, nzc)
  integer, intent(in) :: id(NID), ld(NLD)
  integer, intent(out) :: n
  n = 0
  if (nzone < 0 .or. nzone > nzc) return
  n = print_log_size(fd, id, ld /= 0, porb, nzone, zone(:, 1:nzone), n4)
end subroutine krc_print_log_size

!> Run one case: see krc_season::case_run.  ld(20) are 0/1 flags; zone(4, nzc)
!> the zone table, of which the first nzone rows are used when LZONE is set.
!>
!> Climate file and far fields (krc-farfield-climate.md): nclim = 1 uses
!> climate(72, 36, 2) (dust, ice; 8 24); nffs = 1 a far-field surface file
!> (8 3) given as ffs_int = [kind n, N24, N4, NS], ffs_real = [EMIS, SLOPE,
!> DELJUL, days per year, date of the first stored season], ffs_lat and
!> ffs_data(N24, N4, NS, n) (see krc_ff_header / krc_ff_load); nffa = 1 the
!> same for an atmosphere file (8 4).  stale_ta4: in, the T_a^4 of the last
!> integrated atmosphere step earlier in the run (0 if none); out, updated by
!> a case that integrates its atmosphere.
!>
!> Eclipses and planetary load: parc(12), parw(7): PARC(1..12) and
!> PARW(1..7) (krc-eclipse.md 1; zeros = off).  ntout = N2 (or 0): tout
!> receives the type-16 series of latitude nlad.  nflat > 0: fine(nfrow,
!> nfcap, nflat) the rare-eclipse records, fine_win(3, .) J3, J9, latitude
!> index of the nfine latitudes stored (krc-eclipse 6.3); fine_end(4, N4)
!> per latitude: fine run made (1/0), delta T, delta E at the hand-back and
!> the sol counter of the -777 print line (krc-eclipse 6.1).
subroutine krc_run_case(fd, id, ld, n4, alat, elev, porb, nzone, nzc, zone, n24, nsout, nlout, &
                        nalb, nalc, alb_table, ntau, ntauc, tau_table, &
                        hourly, season_vals, layers, fd_out, id_out, status, message, &
                        nclim, climate, nffs, ffs_int, ffs_real, ffs_lat, s1, s2, s3, s4, &
                        ffs_data, nffa, ffa_int, ffa_real, ffa_lat, a1, a2, a3, a4, ffa_data, &
                        stale_ta4, parc, parw, nlad, ntout, tout, nfrow, nfcap, nflat, fine, &
                        fine_win, nfine, fine_depth, fine_end, npl, plog)
  use krc_constants, only: dp, sp, NFD, NID, NLD, NPORB, MSG_LEN, KRC_OK, KRC_E_INPUT
  use krc_season, only: case_run, NSEASON_VALS
  use krc_farfield, only: ff_file_t, FF_MAXN4
  implicit none
  integer, intent(in) :: n4, nzone, nzc, n24, nsout, nlout, nalb, nalc, ntau, ntauc
  !> Seasonal tables (Ls, value), of which the first nalb / ntau rows are used.
  real(dp), intent(in) :: alb_table(2, nalc), tau_table(2, ntauc)
  real(dp), intent(in) :: fd(NFD), alat(n4), elev(n4), porb(NPORB), zone(4, nzc)
  integer, intent(in) :: id(NID), ld(NLD)
  real(dp), intent(out) :: hourly(n24, 7, n4, nsout), season_vals(NSEASON_VALS, nsout)
  real(dp), intent(out) :: layers(n24, nlout, n4, nsout), fd_out(NFD)
  integer, intent(out) :: id_out(NID), status
  character(len=MSG_LEN), intent(out) :: message
  integer, intent(in) :: nclim, nffs, nffa, s1, s2, s3, s4, a1, a2, a3, a4
  real(sp), intent(in) :: climate(72, 36, 2)
  integer, intent(in) :: ffs_int(4), ffa_int(4)
  real(dp), intent(in) :: ffs_real(5), ffa_real(5), ffs_lat(FF_MAXN4), ffa_lat(FF_MAXN4)
  real(dp), intent(in) :: ffs_data(s1, s2, s3, s4), ffa_data(a1, a2, a3, a4)
  real(dp), intent(inout) :: stale_ta4
  real(sp), allocatable :: clim(:, :, :)
  type(ff_file_t), allocatable :: ffs, ffa
  real(dp), intent(in) :: parc(12), parw(7)
  integer, intent(in) :: nlad, ntout, nfrow, nfcap, nflat
  real(dp), intent(out) :: tout(ntout), fine(nfrow, nfcap, nflat)
  integer, intent(out) :: fine_win(3, nflat), nfine
  real(dp), intent(out) :: fine_depth(nfrow), fine_end(4, n4)
  !> npl > 0: plog receives the print log (krc_print_log_size words; krc_prtlog)
  integer, intent(in) :: npl
  real(dp), intent(out) :: plog(npl)
  ! Unallocated allocatables are absent optional arguments of case_run.
  real(dp), allocatable :: tout_(:), fine_(:, :, :), fine_depth_(:), fine_end_(:, :)
  integer, allocatable :: fine_win_(:, :), nfine_

  hourly = 0.0_dp; season_vals = 0.0_dp; layers = 0.0_dp; fd_out = fd; id_out = id
  plog = 0.0_dp
  tout = 0.0_dp; fine = 0.0_dp; fine_win = 0; nfine = 0; fine_depth = 0.0_dp; fine_end = 0.0_dp
  if (nzone < 0 .or. nzone > nzc .or. nalb < 0 .or. nalb > nalc .or. ntau < 0 .or. &
      ntau > ntauc) then
    status = KRC_E_INPUT
    write (message, '(a,3(i0,a))') 'table row counts (zone ', nzone, ', albedo ', nalb, &
      ', opacity ', ntau, ') exceed the arrays passed'
    return
  end if
  if (nclim /= 0) clim = climate
  if (nffs /= 0) then
    call far_from_arrays(ffs_int, ffs_real, ffs_lat, ffs_data, ffs, status, message)
    if (status /= KRC_OK) return
  end if
  if (nffa /= 0) then
    call far_from_arrays(ffa_int, ffa_real, ffa_lat, ffa_data, ffa, status, message)
    if (status /= KRC_OK) return
  end if
  if (ntout > 0) allocate (tout_(ntout))
  if (nflat > 0) then
    allocate (fine_(nfrow, nfcap, nflat), fine_win_(3, nflat), nfine_, fine_depth_(nfrow), &
              fine_end_(4, n4))
  end if
  if (npl > 0) then
    call case_run(fd, id, ld /= 0, n4, alat, elev, porb, nzone, zone(:, 1:nzone), n24, &
                  nsout, nlout, alb_table(:, 1:nalb), tau_table(:, 1:ntau), hourly, season_vals, &
                  layers, fd_out, id_out, status, message, climate=clim, ff_surf=ffs, &
                  ff_atm=ffa, stale_ta4=stale_ta4, parc=parc, parw=parw, nlad=nlad, tout=tout_, &
                  fine=fine_, fine_win=fine_win_, nfine=nfine_, fine_depth=fine_depth_, &
                  fine_end=fine_end_, plog=plog)
  else
    call case_run(fd, id, ld /= 0, n4, alat, elev, porb, nzone, zone(:, 1:nzone), n24, &
                  nsout, nlout, alb_table(:, 1:nalb), tau_table(:, 1:ntau), hourly, season_vals, &
                  layers, fd_out, id_out, status, message, climate=clim, ff_surf=ffs, &
                  ff_atm=ffa, stale_ta4=stale_ta4, parc=parc, parw=parw, nlad=nlad, tout=tout_, &
                  fine=fine_, fine_win=fine_win_, nfine=nfine_, fine_depth=fine_depth_, &
                  fine_end=fine_end_)
  end if
  if (ntout > 0) tout = tout_
  if (nflat > 0) then
    fine = fine_; fine_win = fine_win_; nfine = nfine_; fine_depth = fine_depth_
    fine_end = fine_end_
  end if

contains

  subroutine far_from_arrays(ints, reals, lat, data, f, status, message)
    integer, intent(in) :: ints(4)
    real(dp), intent(in) :: reals(5), lat(FF_MAXN4), data(:, :, :, :)
    type(ff_file_t), allocatable, intent(out) :: f
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    status = KRC_E_INPUT
    if (ints(1) < 1 .or. ints(1) > 3 .or. ints(3) < 1 .or. ints(3) > FF_MAXN4 .or. &
        size(data, 1) /= ints(2) .or. size(data, 2) /= ints(3) .or. &
        size(data, 3) /= ints(4) .or. size(data, 4) /= ints(1)) then
      write (message, '(a,4(i0,1x),a,4(i0,1x))') 'far-field arrays: kind/N24/N4/NS ', ints, &
        'disagree with the data shape ', shape(data)
      return
    end if
    allocate (f)
    f%nkind = ints(1)
    f%n24 = ints(2)
    f%n4 = ints(3)
    f%ns = ints(4)
    f%emis = reals(1)
    f%slope = reals(2)
    f%deljul = reals(3)
    f%year = reals(4)
    f%date1 = reals(5)
    f%lat = lat
    f%data = data
    status = KRC_OK
    message = ' '
  end subroutine far_from_arrays
end subroutine krc_run_case

!> Header of a far-field file (either layout): ints = [layout (0 compact,
!> 1 KRC's), kind n, word size, N24, N4, NS, 1 if the year length was
!> guessed (A3.1 item 3), 0]; reals = [EMIS, SLOPE, DELJUL, days per year,
!> date of the first stored season]; lat the file's latitudes (N4 used).
subroutine krc_ff_header(path, ints, reals, lat, status, message)
  use krc_constants, only: dp, MSG_LEN, KRC_OK
  use krc_farfield, only: ff_file_t, ff_header, FF_MAXN4
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(out) :: ints(8), status
  real(dp), intent(out) :: reals(5), lat(FF_MAXN4)
  character(len=MSG_LEN), intent(out) :: message
  type(ff_file_t) :: f

  ints = 0
  reals = 0.0_dp
  lat = 0.0_dp
  call ff_header(path, f, status, message)
  if (status /= KRC_OK) return
  ints = [f%layout, f%nkind, f%wsize, f%n24, f%n4, f%ns, merge(1, 0, f%year_guessed), 0]
  reals = [f%emis, f%slope, f%deljul, f%year, f%date1]
  lat = f%lat
end subroutine krc_ff_header

!> All stored temperatures of a far-field file, data(N24, N4, NS, n) as its
!> header (krc_ff_header) gives the sizes; refused if they differ.
subroutine krc_ff_load(path, n24, n4, ns, nkind, data, status, message)
  use krc_constants, only: dp, MSG_LEN, KRC_OK, KRC_E_INPUT
  use krc_farfield, only: ff_file_t, ff_load
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: n24, n4, ns, nkind
  real(dp), intent(out) :: data(n24, n4, ns, nkind)
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  type(ff_file_t) :: f

  data = 0.0_dp
  call ff_load(path, f, status, message)
  if (status /= KRC_OK) return
  if (f%n24 /= n24 .or. f%n4 /= n4 .or. f%ns /= ns .or. f%nkind /= nkind) then
    status = KRC_E_INPUT
    message = 'far-field file '//trim(path)//': changed between reading its header and its data'
    return
  end if
  data = f%data
end subroutine krc_ff_load

!> Write a far-field file (see krc_farfield::ff_write): layout 0 compact,
!> 1 KRC's; wsize 4 or 8; common the 214 words of the case's parameter
!> common; data(N24, N4, NS, n) the stored seasons' T_s, T_p, T_a.
subroutine krc_ff_write(path, layout, nkind, wsize, common, n24, n4, ns, data, status, message)
  use krc_constants, only: dp, MSG_LEN
  use krc_farfield, only: ff_write, FF_NWCOM
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: layout, nkind, wsize, n24, n4, ns
  real(dp), intent(in) :: common(FF_NWCOM), data(n24, n4, ns, nkind)
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message

  call ff_write(path, layout, nkind, wsize, common, n24, n4, ns, data, status, message)
end subroutine krc_ff_write

!> Dust and ice opacities of a climate array at (Ls, latitude) by the
!> original's float32 interpolation (krc-farfield-climate.md B2).
subroutine krc_climate_value(climate, ls, lat, dust, ice)
  use krc_constants, only: dp, sp
  use krc_climate, only: climate_opacities
  implicit none
  real(sp), intent(in) :: climate(72, 36, 2)
  real(dp), intent(in) :: ls, lat
  real(dp), intent(out) :: dust, ice
  call climate_opacities(climate, ls, lat, dust, ice)
end subroutine krc_climate_value

!> The layer grid of a case (physics 1, 2.3): thickness, centre depth,
!> conductivity, density, specific heat and safety factor of layers
!> 1..N1+1, and the last layer of each time-doubling group.
subroutine krc_layer_table(fd, id, ld, porb, nzone, nzc, zone, n1, thick, depth, cond, dens, &
                           spht, safety, group_last, ngroups, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, NPORB, MSG_LEN, MAXBOT, KRC_OK, KRC_E_INPUT
  use krc_grid, only: grid_t
  use krc_season, only: case_grid
  implicit none
  integer, intent(in) :: nzone, nzc, n1
  real(dp), intent(in) :: fd(NFD), porb(NPORB), zone(4, nzc)
  integer, intent(in) :: id(NID), ld(NLD)
  real(dp), intent(out), dimension(n1 + 1) :: thick, depth, cond, dens, spht, safety
  integer, intent(out) :: group_last(MAXBOT), ngroups, status
  character(len=MSG_LEN), intent(out) :: message
  type(grid_t) :: g

  thick = 0.0_dp; depth = 0.0_dp; cond = 0.0_dp; dens = 0.0_dp; spht = 0.0_dp; safety = 0.0_dp
  group_last = 0
  ngroups = 0
  if (n1 /= id(1)) then
    status = KRC_E_INPUT
    write (message, '(a,i0,a,i0)') 'array size N1 = ', n1, ' disagrees with ID(1) = ', id(1)
    return
  end if
  if (nzone < 0 .or. nzone > nzc) then
    status = KRC_E_INPUT
    write (message, '(a,i0,a,i0,a)') 'nzone = ', nzone, ' but the zone table has ', nzc, ' rows'
    return
  end if
  call case_grid(fd, id, ld /= 0, porb, nzone, zone(:, 1:nzone), g, status, message)
  if (status /= KRC_OK) return
  thick = g%b
  depth = g%z
  cond = g%k
  dens = g%rho
  spht = g%c
  safety = g%s
  ngroups = g%ngroups
  group_last(1:ngroups) = g%glast(0:ngroups - 1)
end subroutine krc_layer_table

!> The prefix (first ndx pseudo-seasons, flattened in Fortran order) of one
!> case of a type-52 file; see krc_t52.  title: 84 characters, runtime: 20
!> (yyyy Mon dd hh:mm:ss), latm: 1 if the case has an atmosphere.
subroutine krc_t52_prefix(fd, id, ld, n4, alat, elev, title, runtime, latm, nsout, svals, &
                          n24, mm3, ndx, words, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, MSG_LEN, KRC_OK, KRC_E_INPUT
  use krc_t52, only: t52_sizes, t52_prefix
  implicit none
  integer, intent(in) :: n4, nsout, n24, mm3, ndx, latm
  real(dp), intent(in) :: fd(NFD), alat(n4), elev(n4), svals(5, nsout)
  integer, intent(in) :: id(NID), ld(NLD)
  character(len=84), intent(in) :: title
  character(len=20), intent(in) :: runtime
  real(dp), intent(out) :: words(mm3*ndx)
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: m, nd, k

  words = 0.0_dp
  message = ' '
  if (n24 < 1 .or. n4 < 1 .or. nsout < 1) then
    status = KRC_E_INPUT
    write (message, '(a,i0,a,i0,a,i0)') 't52 prefix needs N24, N4, NSOUT >= 1, got ', n24, &
      ', ', n4, ', ', nsout
    return
  end if
  call t52_sizes(n24, n4, nsout, m, nd, k)
  if (m /= mm3 .or. nd /= ndx) then
    status = KRC_E_INPUT
    write (message, '(a,i0,a,i0)') 't52 prefix sizes disagree: expected mm3 = ', m, ', ndx = ', nd
    return
  end if
  call t52_prefix(fd, id, ld, n4, alat, elev, title, runtime, latm, nsout, svals, mm3, ndx, words)
  status = KRC_OK
end subroutine krc_t52_prefix

!> Read a climate file (change 8 24) into climate(72, 36, 2) through the C
!> bin5 library, as the legacy program does (krc_climate_file).
subroutine krc_climate_read(path, climate, status, message)
  use krc_constants, only: sp, MSG_LEN
  use krc_climate_file, only: climate_read
  implicit none
  character(len=*), intent(in) :: path
  real(sp), intent(out) :: climate(72, 36, 2)
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  call climate_read(path, climate, status, message)
end subroutine krc_climate_read

!> One request at a point (krc-onepoint.md 3, 4, 6): a fresh one-latitude
!> case whose last season falls on the date of Ls (DJUL replaced), then the
!> surface and planetary temperatures at local time hour.  fd(84) takes the
!> hour (HOURO).  Returns the case's DJUL and the Ls of its last season.
subroutine krc_point(fd, id, ld, alat, elev, porb, nzone, nzc, zone, n24, n2, ls, hour, &
                     djul, subs, ts, tp, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, NPORB, MSG_LEN, KRC_OK, KRC_E_INPUT
  use krc_season, only: NSEASON_VALS
  use krc_orbit, only: orbit_geometry
  use krc_onepoint, only: request_date, one_case
  implicit none
  integer, intent(in) :: nzone, nzc, n24, n2
  real(dp), intent(in) :: fd(NFD), alat(1), elev(1), porb(NPORB), zone(4, nzc), ls, hour
  integer, intent(in) :: id(NID), ld(NLD)
  real(dp), intent(out) :: djul, subs, ts, tp
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  real(dp) :: fdr(NFD), fd_out(NFD), sdec, dau
  real(dp), allocatable :: hourly(:, :, :, :), svals(:, :)
  real(dp) :: none(2, 0), point(2)
  integer :: id_out(NID), nsout

  djul = 0.0_dp; subs = 0.0_dp; ts = 0.0_dp; tp = 0.0_dp
  status = KRC_E_INPUT
  if (ld(11) == 0) then
    message = 'a point request finds its date from Ls through the orbit: it needs a PORB block (LPORB)'
    return
  end if
  if (ld(12) /= 0) then
    message = 'LKEY cannot be combined with a point request: the request gives the Ls (onepoint 8.1)'
    return
  end if
  if (.not. (hour >= 0.0_dp .and. hour <= 24.0_dp)) then
    message = 'the local time of a point request must lie in 0..24 h'
    return
  end if
  if (nzone < 0 .or. nzone > nzc .or. n2 /= id(2) .or. n24 /= id(6)) then
    message = 'array sizes disagree with N2, N24 or the zone rows'
    return
  end if
  fdr = fd
  djul = request_date(porb, ls, id(5), fd(42))
  fdr(41) = djul
  fdr(84) = hour
  call orbit_geometry(porb, djul + real(id(5) - 1, dp)*fd(42), sdec, dau, subs)
  nsout = max(0, id(5) - id(12) + 1)
  allocate (hourly(n24, 7, 1, nsout), svals(NSEASON_VALS, nsout))
  ! The same computation as a one-point request of a deck (krc_driver).
  call one_case(fdr, id, ld /= 0, 1, alat, elev, porb, nzone, zone(:, 1:nzone), n24, nsout, &
                none, none, hourly, svals, fd_out, id_out, point, status, message)
  if (status /= KRC_OK) return
  ts = point(1)
  tp = point(2)
end subroutine krc_point

!> The date (days from J2000.0) at which the orbit of porb reaches Ls, within
!> half an orbit of its perihelion date (krc-onepoint.md 3; used by LKEY).
subroutine krc_ls_date(porb, ls, djul)
  use krc_constants, only: dp, NPORB
  use krc_orbit, only: ls_to_date
  implicit none
  real(dp), intent(in) :: porb(NPORB), ls
  real(dp), intent(out) :: djul
  djul = ls_to_date(porb, ls)
end subroutine krc_ls_date
!> The eclipse factor profile of krc-eclipse section 2 for one latitude
!> (parc(11)) and sol length (parc(12)): window j1..j4 (j4 < j3: no
!> eclipse) and the first nfac factors (N2 daily values, or (J4+1-J3)*F rare
!> values when rare = 1), of which at most nmax are returned.
subroutine krc_eclipse_window(parc, n2, rare, nmax, fac, nfac, j1, j2, j3, j4, status, message)
  use krc_constants, only: dp, MSG_LEN, KRC_OK, KRC_E_INPUT
  use krc_eclipse, only: eclipse_profile
  implicit none
  real(dp), intent(in) :: parc(12)
  integer, intent(in) :: n2, rare, nmax
  real(dp), intent(out) :: fac(nmax)
  integer, intent(out) :: nfac, j1, j2, j3, j4, status
  character(len=MSG_LEN), intent(out) :: message
  real(dp), allocatable :: f(:)

  fac = 0.0_dp
  nfac = 0
  j1 = 0; j2 = 0; j3 = 0; j4 = -1
  if (n2 < 2 .or. .not. (parc(2) > 0.0_dp .and. parc(3) > 0.0_dp .and. parc(4) > 0.0_dp .and. &
      parc(5) > 0.0_dp .and. parc(6) > 0.0_dp .and. parc(12) > 0.0_dp)) then
    status = KRC_E_INPUT
    message = 'eclipse window: N2 >= 2 and PARC(2..6), PARC(12) > 0 are needed'
    return
  end if
  call eclipse_profile(parc, n2, rare /= 0, j1, j2, j3, j4, f, status, message)
  if (status /= KRC_OK) return
  nfac = size(f)
  fac(1:min(nmax, nfac)) = f(1:min(nmax, nfac))
end subroutine krc_eclipse_window

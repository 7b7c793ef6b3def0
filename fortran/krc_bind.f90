!> The f2py surface of the thermal model: plain external subroutines with
!> explicit-shape arrays and integer flags (no derived types, no assumed
!> shapes), so the hand-kept signature file _krccore.pyf stays simple.
!> Every routine returns status (0 = ok, codes in krc_constants) and a
!> message; none stops.  Reentrant: safe to call from several threads.

!> Run one case: see krc_season::case_run.  ld(20) are 0/1 flags; zone(4, nzc)
!> the zone table, of which the first nzone rows are used when LZONE is set.
subroutine krc_run_case(fd, id, ld, n4, alat, elev, porb, nzone, nzc, zone, n24, nsout, nlout, &
                        nalb, nalc, alb_table, ntau, ntauc, tau_table, &
                        hourly, season_vals, layers, fd_out, id_out, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, NPORB, MSG_LEN, KRC_E_INPUT
  use krc_season, only: case_run, NSEASON_VALS
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

  if (nzone < 0 .or. nzone > nzc .or. nalb < 0 .or. nalb > nalc .or. ntau < 0 .or. &
      ntau > ntauc) then
    hourly = 0.0_dp; season_vals = 0.0_dp; layers = 0.0_dp; fd_out = fd; id_out = id
    status = KRC_E_INPUT
    write (message, '(a,3(i0,a))') 'table row counts (zone ', nzone, ', albedo ', nalb, &
      ', opacity ', ntau, ') exceed the arrays passed'
    return
  end if
  call case_run(fd, id, ld /= 0, n4, alat, elev, porb, nzone, zone(:, 1:nzone), n24, &
                nsout, nlout, alb_table(:, 1:nalb), tau_table(:, 1:ntau), hourly, season_vals, &
                layers, fd_out, id_out, status, message)
end subroutine krc_run_case

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

!> One request at a point (krc-onepoint.md 3, 4, 6): a fresh one-latitude
!> case whose last season falls on the date of Ls (DJUL replaced), then the
!> surface and planetary temperatures at local time hour.  fd(84) takes the
!> hour (HOURO).  Returns the case's DJUL and the Ls of its last season.
subroutine krc_point(fd, id, ld, alat, elev, porb, nzone, nzc, zone, n24, n2, ls, hour, &
                     djul, subs, ts, tp, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, NPORB, MSG_LEN, KRC_OK, KRC_E_INPUT
  use krc_season, only: case_run, NSEASON_VALS
  use krc_orbit, only: orbit_geometry
  use krc_onepoint, only: request_date, hour_temperatures
  implicit none
  integer, intent(in) :: nzone, nzc, n24, n2
  real(dp), intent(in) :: fd(NFD), alat(1), elev(1), porb(NPORB), zone(4, nzc), ls, hour
  integer, intent(in) :: id(NID), ld(NLD)
  real(dp), intent(out) :: djul, subs, ts, tp
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  real(dp) :: fdr(NFD), fd_out(NFD), sdec, dau
  real(dp), allocatable :: hourly(:, :, :, :), svals(:, :), layers(:, :, :, :), tout(:), tsfh(:), &
                           tpfh(:)
  real(dp) :: none(2, 0)
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
  allocate (hourly(n24, 7, 1, nsout), svals(NSEASON_VALS, nsout), layers(n24, 0, 1, nsout), &
            tout(n2), tsfh(n24), tpfh(n24))
  call case_run(fdr, id, ld /= 0, 1, alat, elev, porb, nzone, zone(:, 1:nzone), n24, nsout, 0, &
                none, none, hourly, svals, layers, fd_out, id_out, status, message, &
                tout, tsfh, tpfh)
  if (status /= KRC_OK) return
  call hour_temperatures(tout, tsfh, tpfh, hour, ts, tp)
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

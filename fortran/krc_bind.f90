!> The f2py surface of the thermal model: plain external subroutines with
!> explicit-shape arrays and integer flags (no derived types, no assumed
!> shapes), so the hand-kept signature file _krccore.pyf stays simple.
!> Every routine returns status (0 = ok, codes in krc_constants) and a
!> message; none stops.  Reentrant: safe to call from several threads.

!> Run one case: see krc_season::case_run.  ld(20) are 0/1 flags; zone(4, nzc)
!> the zone table, of which the first nzone rows are used when LZONE is set.
!> parc(12), parw(7): eclipse PARC(1..12) and planetary load PARW(1..7)
!> (krc-eclipse.md 1; zeros = off).  ntout = N2 (or 0): tout receives the
!> type-16 series of latitude nlad.  nflat > 0: fine(nfrow, nfcap, nflat)
!> the rare-eclipse records, fine_win(3, .) J3, J9, latitude index of the
!> nfine latitudes stored (krc-eclipse 6.3).
subroutine krc_run_case(fd, id, ld, n4, alat, elev, porb, nzone, nzc, zone, n24, nsout, nlout, &
                        nalb, nalc, alb_table, ntau, ntauc, tau_table, &
                        hourly, season_vals, layers, fd_out, id_out, status, message, parc, parw, &
                        nlad, ntout, tout, nfrow, nfcap, nflat, fine, fine_win, nfine, fine_depth, &
                        fine_end)
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
  real(dp), intent(in) :: parc(12), parw(7)
  integer, intent(in) :: nlad, ntout, nfrow, nfcap, nflat
  real(dp), intent(out) :: tout(ntout), fine(nfrow, nfcap, nflat)
  integer, intent(out) :: fine_win(3, nflat), nfine
  real(dp), intent(out) :: fine_depth(nfrow), fine_end(3, n4)

  if (nzone < 0 .or. nzone > nzc .or. nalb < 0 .or. nalb > nalc .or. ntau < 0 .or. &
      ntau > ntauc) then
    hourly = 0.0_dp; season_vals = 0.0_dp; layers = 0.0_dp; fd_out = fd; id_out = id
    tout = 0.0_dp; fine = 0.0_dp; fine_win = 0; nfine = 0; fine_depth = 0.0_dp; fine_end = 0.0_dp
    status = KRC_E_INPUT
    write (message, '(a,3(i0,a))') 'table row counts (zone ', nzone, ', albedo ', nalb, &
      ', opacity ', ntau, ') exceed the arrays passed'
    return
  end if
  tout = 0.0_dp; fine = 0.0_dp; fine_win = 0; nfine = 0; fine_depth = 0.0_dp; fine_end = 0.0_dp
  if (ntout > 0 .and. nflat > 0) then
    call case_run(fd, id, ld /= 0, n4, alat, elev, porb, nzone, zone(:, 1:nzone), n24, &
                  nsout, nlout, alb_table(:, 1:nalb), tau_table(:, 1:ntau), hourly, season_vals, &
                  layers, fd_out, id_out, status, message, parc, parw, nlad=nlad, tout=tout, &
                  fine=fine, fine_win=fine_win, nfine=nfine, fine_depth=fine_depth, fine_end=fine_end)
  else if (ntout > 0) then
    call case_run(fd, id, ld /= 0, n4, alat, elev, porb, nzone, zone(:, 1:nzone), n24, &
                  nsout, nlout, alb_table(:, 1:nalb), tau_table(:, 1:ntau), hourly, season_vals, &
                  layers, fd_out, id_out, status, message, parc, parw, nlad=nlad, tout=tout)
  else if (nflat > 0) then
    call case_run(fd, id, ld /= 0, n4, alat, elev, porb, nzone, zone(:, 1:nzone), n24, &
                  nsout, nlout, alb_table(:, 1:nalb), tau_table(:, 1:ntau), hourly, season_vals, &
                  layers, fd_out, id_out, status, message, parc, parw, fine=fine, &
                  fine_win=fine_win, nfine=nfine, fine_depth=fine_depth, fine_end=fine_end)
  else
    call case_run(fd, id, ld /= 0, n4, alat, elev, porb, nzone, zone(:, 1:nzone), n24, &
                  nsout, nlout, alb_table(:, 1:nalb), tau_table(:, 1:ntau), hourly, season_vals, &
                  layers, fd_out, id_out, status, message, parc, parw)
  end if
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

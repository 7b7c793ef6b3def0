!> Season driver of the thermal model: one case = seasons x latitudes, each
!> latitude a day loop of explicit time steps with the surface balance (bare
!> ground Newton or frost), the one-layer atmosphere, convergence tests, the
!> first-season jumps and the prediction to the end of the season.
!>
!> Spec: ../shared/spec/krc-physics.md sections 0 (order of operations), 2
!> (time stepping, output sampling), 3.1 (surface), 4.1 (season dates), 5
!> (start, day loop, convergence, prediction), 8 (k(T), c(T)), 10 (minimal
!> core), 3.2, 6, 7 (atmosphere and frost, krc_atmos); LKEY
!> (krc-onepoint.md 8.1).
!>
!> Reentrant: all state lives in local allocatable arrays of one call.
module krc_season
  use, intrinsic :: ieee_arithmetic, only: ieee_is_finite
  use krc_constants, only: dp, sp, sum_in_order, SIGMA_SB, R_GAS, NFD, NID, NLD, NPORB, MAXN3, &
                           KRC_OK, KRC_E_INPUT, KRC_E_BLOWUP, KRC_E_UNSUPPORTED, MSG_LEN, &
                           PI_K, R_K
  use krc_grid, only: grid_t, grid_build, kt_poly
  use krc_orbit, only: orbit_geometry, annual_mean_insol, daily_mean_cosi, ls_to_date
  use krc_insolation, only: photo_t, photo_setup, sky_factor, sun_geometry, sun_fluxes, &
                            DAY_MU_AIRLESS
  use krc_surface, only: surface_newton
  use krc_atmos, only: atm_t, atm_latitude, atm_insolation, atm_equilibrium, viking_factor
  use krc_climate, only: climate_opacities, CLIM_NLS, CLIM_NLAT, CLIM_NK
  use krc_farfield, only: ff_file_t, ff_season_hourly, ff_spline, ff_lat_index, &
                          FF_MAXK, FF_N2_CAP
  use krc_eclipse, only: ecl_case_t, ecl_lat_t, eclipse_prepare, eclipse_mode, eclipse_latitude, &
                         eclipse_records_check, fine_run, ECL_OFF, ECL_DAILY, ECL_RARE
  use krc_prtlog, only: plog_size, plog_layers, plog_season, plog_lat, plog_nprinted, PL_HEAD, &
                        PS_SDEC, PS_DAU, PS_SUBS, PS_DJUL, PS_SUMF, PS_ALB, PS_TAUD, LH_TEQ, &
                        LH_DAM, LH_SAVE, LH_BAVE, LH_DTM, LH_NDAYS, LH_FROST, LH_AFNOW, LH_PRES, &
                        LH_TSEP, LH_TBEP, lp3_off, lp3_width, lp4_off, lp4_width, lp5_off, &
                        lp6_off, f76_off, LP4_ROWS
  implicit none
  private

  public :: case_run, case_grid, lowered_n3, check_table, NSEASON_VALS, season_carry_t, print_log_size

  !> What a case carries from one season to the next (physics 0, 5.4): the
  !> predicted state of every latitude, the global frost, the twilight
  !> albedo (physics 4.4) and the start date DJONE.  With it a case can be
  !> computed in pieces of seasons, as KRC does after a mid-case change list
  !> (krc-onepoint 8.2: the grid and day constants are rebuilt from the new
  !> values, the temperatures carry on from the predictions).
  type :: season_carry_t
    integer :: j5 = 0                   !< last season computed (0: none yet)
    real(dp), allocatable :: state(:, :)  !< (N1, N4) T_s and layer temperatures
    real(dp), allocatable :: ta(:), frost(:), tam(:)  !< (N4) T_a, frost, mean T_a
    real(dp) :: sumf = 0.0_dp, alb_last = 0.0_dp, djone = 0.0_dp
  end type season_carry_t
  public :: ff_case_check
  public :: case_eclipse_plan, ECLP_OK, ECLP_CASE, ECLP_ECLIPSE

  !> Outcomes of case_eclipse_plan: the set-up is valid; the case itself
  !> cannot be set up (it fails when run, as any case); the eclipse or the
  !> load is refused (krc-eclipse 7).
  integer, parameter :: ECLP_OK = 0, ECLP_CASE = 1, ECLP_ECLIPSE = 2

  !> Per-season values returned with the cube: DJU5, SUBS, PZREF, TAUD, SUMF
  !> (formats 3.2 prefix).
  integer, parameter :: NSEASON_VALS = 5

  ! FD indices (formats 1.5)
  integer, parameter :: F_ALB = 1, F_EMIS = 2, F_PERIOD = 6, F_PTOTAL = 12, F_FANON = 13, &
                        F_TATM = 14, F_TDEEP = 15, F_CFROST = 26, F_FEMIS = 28, F_FROEXT = 31, &
                        F_GRAV = 47, &
                        F_TAUD = 17, F_TWILI = 20, F_SLOPE = 23, F_SLOAZI = 24, &
                        F_PHOG = 38, F_GGT = 39, F_DTMAX = 40, F_DJUL = 41, F_DELJUL = 42, &
                        F_SDEC = 43, F_DAU = 44, F_SUBS = 45, F_SOLCON = 46
  ! ID indices (formats 1.6)
  integer, parameter :: I_N1 = 1, I_N2 = 2, I_N3 = 3, I_N4 = 4, I_N5 = 5, I_N24 = 6, &
                        I_IIB = 7, I_NRSET = 9, I_JDISK = 12, I_KPREF = 16, I_JBARE = 18
  ! LD indices (formats 1.7)
  integer, parameter :: L_LVFA = 8, L_LVFT = 9, L_LKOFT = 10, L_LPORB = 11, L_LKEY = 12, &
                        L_LZONE = 14, L_LOCAL = 15
  ! PORB indices (formats 4.1)
  integer, parameter :: P_ECC = 6, P_SJA = 7, P_BLIP = 19

  !> Relative-change test of the last-day logic (physics 5.3, DDT).
  real(dp), parameter :: DDT = 0.002_dp
  !> Frost point used for airless bounds (physics 5.4, 6).
  real(dp), parameter :: TF_AIRLESS = 1.0_dp
  !> Bounds of the frost-mass prediction, kg m-2 (physics 5.4).
  real(dp), parameter :: FROST_MAX = 9999.0_dp

  !> Per-case settings read once from the parameter arrays.
  type :: case_t
    integer :: n3 = 0, n5 = 0, n24 = 0, iib = 0, dr = 0, jdisk = 0
    real(dp) :: alb = 0, emis = 0, tdeep = 0, ggt = 0, dtmax = 0, period = 0, deljul = 0
    real(dp) :: slope = 0, sloazi = 0, skyfac = 1, solcon = 0
    real(dp) :: qg_eq = 0     !< r4(0.001)*IIB for the equilibrium (physics 9)
    real(dp) :: qg_bot = 0    !< 0.001*IIB for the base node (physics 1.5)
    logical :: atmos = .false. !< PTOTAL > 1 Pa (physics 6)
    integer :: jbare = 0
    real(dp) :: femis = 1, cfrost = 1, froext = 1
    type(photo_t) :: photo
  end type case_t

  !> Outputs of one latitude for one season.
  type :: lat_out_t
    integer :: ndays = 0
    real(dp) :: dtm = 0, heat = 0
    real(dp) :: tamean = 0    !< mean of the hourly T_a of the last sol
    real(dp) :: tp_scratch = 0  !< T_p of the current step
    real(dp) :: frost_end = 0   !< frost on the ground at the last midnight, kg m-2
    real(dp) :: ta_end = 0      !< T_a at the last midnight, after the snow (physics 7.3), K
    real(dp) :: ta4_last = 0    !< T_a^4 of the last step (far-field T_p, farfield-climate A3.4)
    real(dp), allocatable :: ts_h(:), dv_h(:), tmin(:), tmax(:), tp_h(:), ta_h(:), ir_h(:)
    real(dp), allocatable :: tl(:, :)   !< (hour, layer 2..) of the last sol
    !> T_s of every step of the last sol (type-16 output), when allocated
    real(dp), allocatable :: ts_step(:)
    !> records of the rare-eclipse fine run (krc-eclipse 6.3), when allocated
    real(dp), allocatable :: fine_rec(:, :)
    logical :: fine_done = .false.
    real(dp) :: fine_dt = 0, fine_de = 0   !< "End eclipse" delta T, delta E (krc-eclipse 6.1)
    ! --- print log (krc-print-extras 3, 4), when lp3 is allocated
    integer :: np = 0                   !< printed layers
    integer, allocatable :: pidx(:)     !< their indices
    integer :: nmha = 0
    !> LP3 rows of the last sol (frost, layer-1 slot, printed layers, T_a) x NMHA
    real(dp), allocatable :: lp3(:, :)
    !> LP4 rows (RMS change, mean T_s, mean T_N1, layer-1 slot, printed layers) x sols+1
    real(dp), allocatable :: lp4(:, :)
    real(dp) :: ave0(2) = 0             !< first element of the mean series (row 1)
    real(dp) :: ave_pred(2) = 0         !< SURF AVE, BOTM AVE (predicted)
  end type lat_out_t

contains

  !> The grid of a case (for the layer table), with the same set-up as
  !> case_run.  Returns status /= KRC_OK with a message on bad input.
  subroutine case_grid(fd, id, ld, porb, nzone, zone, g, status, message)
    real(dp), intent(in) :: fd(NFD), porb(NPORB), zone(:, :)
    integer, intent(in) :: id(NID), nzone
    logical, intent(in) :: ld(NLD)
    type(grid_t), intent(out) :: g
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp) :: sja
    integer :: nz

    ! Physics 1.1: T_g uses the PORB semi-major axis (0 without PORB).
    sja = 0.0_dp
    if (ld(L_LPORB)) sja = porb(P_SJA)
    nz = 0
    if (ld(L_LZONE)) nz = nzone
    call grid_build(fd, id, ld(L_LKOFT), ld(L_LOCAL), nz, zone, sja, g, status, message)
  end subroutine case_grid

  !> Words of the print log of a case (krc_prtlog), 0 when the case prints
  !> none of the season-loop tables (LP3, LP4, LP5, LP6, LPGLOB, LD16) or its
  !> grid cannot be built.
  integer function print_log_size(fd, id, ld, porb, nzone, zone, n4) result(n)
    real(dp), intent(in) :: fd(NFD), porb(NPORB), zone(:, :)
    integer, intent(in) :: id(NID), nzone, n4
    logical, intent(in) :: ld(NLD)
    type(grid_t) :: g
    integer :: st
    character(len=MSG_LEN) :: msg
    n = 0
    if (.not. any(ld([3, 4, 5, 6, 7, 16]))) return
    call case_grid(fd, id, ld, porb, nzone, zone, g, st, msg)
    if (st /= KRC_OK) return
    n = plog_size(g%n1, n4, id(I_N5), id(I_N24), max(0, id(10)))
  end function print_log_size

  !> The eclipse and planetary-load set-up of a case, as case_run makes it
  !> (krc-eclipse 5.2, with every refusal of section 7 that needs no time
  !> step), for the deck programs: the refusals before anything is written,
  !> the set-up print lines and the shapes of the rare-eclipse records.
  !> outcome: ECLP_OK (ec valid; nlat = latitudes with an eclipse), ECLP_CASE
  !> (the case's own set-up fails: ec not valid, nothing to refuse here) or
  !> ECLP_ECLIPSE (refused; status and message say why).
  subroutine case_eclipse_plan(fd, id, ld, alat, porb, nzone, zone, parc, parw, ec, nlat, &
                               outcome, status, message)
    real(dp), intent(in) :: fd(NFD), alat(:), porb(NPORB), zone(:, :), parc(12), parw(7)
    integer, intent(in) :: id(NID), nzone
    logical, intent(in) :: ld(NLD)
    type(ecl_case_t), intent(out) :: ec
    integer, intent(out) :: nlat, outcome, status
    character(len=MSG_LEN), intent(out) :: message
    type(case_t) :: c
    type(grid_t) :: g
    real(dp), allocatable :: depth(:)

    nlat = 0
    outcome = ECLP_CASE
    call case_setup(fd, id, c, status, message)
    if (status /= KRC_OK) return
    call case_grid(fd, id, ld, porb, nzone, zone, g, status, message)
    if (status /= KRC_OK) return
    outcome = ECLP_ECLIPSE
    call eclipse_prepare(parc, parw, g%n1, g%n2, alat, c%period, c%slope, c%sloazi, c%atmos, &
                         ld(L_LKOFT), ld(L_LVFT), g%b, g%rho, g%c, g%k, g%rlay, g%ps, fd(22), &
                         fd(35), ec, status, message)
    if (status /= KRC_OK) return
    if (ec%mode == ECL_RARE) then
      nlat = count(ec%j4 >= ec%j3)
      allocate (depth(ec%nrow))
      call eclipse_records_check(ec, alat, ec%nrow, ec%mcap, nlat, 3, nlat, depth, status, &
                                 message)
      if (status /= KRC_OK) return
    end if
    outcome = ECLP_OK
  end subroutine case_eclipse_plan

  !> Run one airless case.  hourly(N24, 7, N4, NSOUT) receives the items of
  !> the type-52 cube for seasons JDISK..N5 (formats 3.2); svals(5, NSOUT)
  !> DJU5, SUBS, PZREF, TAUD, SUMF; fd_out/id_out the parameter arrays as
  !> KRC holds them when the first output season is stored.
  !>
  !> Optional (farfield-climate.md): climate = D(72, 36, 2), the dust and ice
  !> opacities of a climate file (8 24, Part B); ff_surf / ff_atm the
  !> far-field surface (8 3) and atmosphere (8 4) files read for the case
  !> (Part A3); stale_ta4 the T_a^4 of the last step earlier in the program
  !> run that integrated the atmosphere (A3.4 bug 2: T_p of a far-field case
  !> uses it; 0 if none), updated on return by a case that integrates.
  subroutine case_run(fd, id, ld, n4, alat, elev, porb, nzone, zone, n24, nsout, nlout, &
                      alb_table, tau_table, hourly, svals, layers, fd_out, id_out, status, message, &
                      climate, ff_surf, ff_atm, stale_ta4, parc, parw, nlad, tout, fine, &
                      fine_win, nfine, fine_depth, fine_end, tsfh, tpfh, seasons, carry, plog)
    integer, intent(in) :: id(NID), n4, nzone, n24, nsout, nlout
    real(dp), intent(in) :: fd(NFD), alat(n4), elev(n4), porb(NPORB), zone(:, :)
    !> Seasonal tables (physics 11, change 8 22 / 8 23): rows (Ls deg, value);
    !> zero rows = none.  ALB and TAUD are reset from them every season.
    real(dp), intent(in) :: alb_table(:, :), tau_table(:, :)
    logical, intent(in) :: ld(NLD)
    real(dp), intent(out) :: hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout)
    !> Temperatures of layers 2..nlout+1 at the output hours of the last sol
    real(dp), intent(out) :: layers(n24, nlout, n4, nsout)
    real(dp), intent(out) :: fd_out(NFD)
    integer, intent(out) :: id_out(NID)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(sp), intent(in), optional :: climate(:, :, :)
    type(ff_file_t), intent(in), optional :: ff_surf, ff_atm
    real(dp), intent(inout), optional :: stale_ta4
    !> Eclipse PARC(1..12) and planetary load PARW(1..7) (krc-eclipse.md 1;
    !> absent or zeros = off).
    real(dp), intent(in), optional :: parc(12), parw(7)
    !> Type-16 output: T_s of every step of the last sol of the last season
    !> at latitude nlad (krc-formats 3.6); tout(N2).
    integer, intent(in), optional :: nlad
    real(dp), intent(out), optional :: tout(:)
    !> Rare-eclipse records (krc-eclipse 6.3): fine(2+E, M, latitudes with an
    !> eclipse); fine_win(3, .) = J3, J9, latitude index of each stored one;
    !> nfine = number stored.  Present only together.
    real(dp), intent(out), optional :: fine(:, :, :)
    integer, intent(out), optional :: fine_win(:, :), nfine
    !> the fine centres z^f_1 .. z^f_E of the records (size 2 + E; the last two 0)
    real(dp), intent(out), optional :: fine_depth(:)
    !> per latitude: 1 if the fine run was made, then delta T and delta E of
    !> layer J_low at the hand-back (the "End eclipse" line), (3, N4); with a
    !> fourth row, the sol counter of the -777 line (krc-eclipse 6.1)
    real(dp), intent(out), optional :: fine_end(:, :)
    !> The hourly surface and planetary temperatures of the last sol of the
    !> last season at the last latitude (krc-onepoint.md 6, with tout and nlad
    !> = N4; tpfh stays 0 without an atmosphere), (N24) each.
    real(dp), intent(out), optional :: tsfh(:), tpfh(:)
    !> A piece of the case (krc-onepoint 8.2): only seasons seasons(1) ..
    !> seasons(2) are computed (their slots of hourly / svals; fd_out is the
    !> snapshot only if the piece holds JDISK), starting from carry (which
    !> must hold season seasons(1) - 1; none for season 1) and leaving the
    !> state after seasons(2) in it.  Present only together.
    integer, intent(in), optional :: seasons(2)
    type(season_carry_t), intent(inout), optional :: carry
    !> The print log (krc_prtlog; krc-print-extras 2-4, 8-10) of every season
    !> and latitude, size plog_size(N1 of the grid, N4, N5, N24, NMHA).
    real(dp), intent(out), optional :: plog(:)

    type(grid_t) :: g
    type(case_t) :: c
    type(ecl_case_t) :: ec
    type(ecl_lat_t) :: el
    real(dp) :: parc_(12), parw_(7), pbar
    integer :: nst
    type(lat_out_t) :: o
    type(atm_t) :: a
    real(dp), allocatable :: cosi0(:), cosi2(:), absorbed(:), downvis(:), qdir(:), qdif(:)
    real(dp), allocatable :: f_coll(:), f_down(:), hfrac(:)
    real(dp), allocatable :: state(:, :), ta_st(:), frost_st(:), tam_st(:)
    real(dp) :: djul, djone, sdec, dau, subs, s, tblow, ecc, sja, blip, iy, teq, ta0
    real(dp) :: pzref, pgas, sumf, alb_last, alb0, mu_day, mu_tw, ibar, hbar
    real(dp) :: edge_lo, edge_hi, wsum
    real(dp) :: fds(NFD)            !< FD of the season (tables applied)
    integer :: j4, j5, is, mm4, n, n2, n5, j5a, j5b, nd_prev
    logical :: frosted
    character(len=48) :: where
    ! Climate file and far field (farfield-climate.md B3, A3)
    real(dp), allocatable :: clim2(:), ff_ts(:, :), ff_ta(:, :), rh(:), rstep(:), tastep(:)
    integer, allocatable :: ff_js(:), ff_ja(:)
    real(dp) :: cfar, qstale, cdust, cice
    integer :: kfar, m
    logical :: far, far_atm
    ! Print log (krc-print-extras)
    logical :: logp
    integer :: nmha, k0, np
    real(dp), allocatable :: ave_st(:, :)

    hourly = 0.0_dp
    svals = 0.0_dp
    layers = 0.0_dp
    teq = 0.0_dp
    fd_out = fd
    id_out = id
    status = KRC_OK
    message = ' '

    if (ld(L_LKEY) .and. .not. ld(L_LPORB)) then
      status = KRC_E_INPUT
      message = 'LKEY (DJUL given as Ls) needs the orbit of a PORB block: set LPORB true'
      return
    end if
    if (id(I_N4) /= n4 .or. id(I_N24) /= n24) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a,i0,a)') 'N4 = ', id(I_N4), ' / N24 = ', id(I_N24), &
        ' disagree with the array sizes'
      return
    end if
    call case_setup(fd, id, c, status, message)
    if (status /= KRC_OK) return
    fds = fd
    call check_table(alb_table, 'albedo', 0.0_dp, 1.0_dp, status, message)
    if (status /= KRC_OK) return
    call check_table(tau_table, 'dust opacity', 0.0_dp, huge(1.0_dp), status, message)
    if (status /= KRC_OK) return
    if (size(alb_table, 2) > 0) id_out(22) = 1
    if (size(tau_table, 2) > 0) id_out(23) = 1
    if (.not. all(ieee_is_finite(elev))) then
      status = KRC_E_INPUT
      message = 'elevations must be finite numbers'
      return
    end if
    if (.not. all(abs(alat) <= 90.0_dp)) then
      status = KRC_E_INPUT
      message = 'latitudes must lie in [-90, 90] degrees'
      return
    end if
    if (nsout /= max(0, c%n5 - c%jdisk + 1)) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a,i0,a,i0)') 'NSOUT = ', nsout, ' but N5 = ', c%n5, ', JDISK = ', c%jdisk
      return
    end if
    call case_grid(fd, id, ld, porb, nzone, zone, g, status, message)
    if (status /= KRC_OK) return
    if (nlout < 0 .or. nlout > g%n1 - 1) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a,i0)') 'layers to store = ', nlout, ' not in 0..N1-1 = ', g%n1 - 1
      return
    end if
    logp = present(plog)
    ! a log of size 0: none asked for (a caller's unconditional argument)
    if (logp) logp = size(plog) > 0
    nmha = max(0, id(10))
    if (logp) then
      if (size(plog) /= plog_size(g%n1, n4, c%n5, n24, nmha)) then
        status = KRC_E_INPUT
        write (message, '(a,i0,a,i0)') 'print log has ', size(plog), ' words, the case needs ', &
          plog_size(g%n1, n4, c%n5, n24, nmha)
        return
      end if
      plog = 0.0_dp
      np = plog_nprinted(g%n1)
      plog(1:6) = real([g%n1, n4, c%n5, n24, nmha, np], dp)
      o%np = np
      o%nmha = nmha
      allocate (o%pidx(g%n1), o%lp3(np + 3, nmha), o%lp4(np + 4, LP4_ROWS), ave_st(2, n4))
      call plog_layers(g%n1, o%pidx, o%np)
      plog(7:6 + min(np, PL_HEAD - 6)) = g%z(o%pidx(1:min(np, PL_HEAD - 6)))
      ave_st = 0.0_dp
    end if
    ! Eclipses and planetary load (krc-eclipse.md): set-up and refusals (7).
    parc_ = 0.0_dp
    parw_ = 0.0_dp
    if (present(parc)) parc_ = parc
    if (present(parw)) parw_ = parw
    if (present(tout)) tout = 0.0_dp
    if (present(fine)) then
      fine = 0.0_dp
      fine_win = 0
      nfine = 0
      fine_depth = 0.0_dp
      fine_end = 0.0_dp
    end if
    if (eclipse_mode(parc_(1)) /= ECL_OFF .or. parw_(1) > 0.0_dp) then
      call eclipse_prepare(parc_, parw_, g%n1, g%n2, alat, c%period, c%slope, c%sloazi, c%atmos, &
                           ld(L_LKOFT), ld(L_LVFT), g%b, g%rho, g%c, g%k, g%rlay, g%ps, fd(22), &
                           fd(35), ec, status, message)
      if (status /= KRC_OK) return
    end if
    if (present(tout)) then
      if (size(tout) /= g%n2) then
        status = KRC_E_INPUT
        write (message, '(a,i0,a,i0)') 'type-16 array has ', size(tout), ' values, N2 = ', g%n2
        return
      end if
      allocate (o%ts_step(g%n2))
      o%ts_step = 0.0_dp
    end if
    if (present(fine) .and. ec%mode == ECL_RARE) then
      call eclipse_records_check(ec, alat, size(fine, 1), size(fine, 2), size(fine, 3), &
                                 size(fine_win, 1), size(fine_win, 2), fine_depth, status, message)
      if (status /= KRC_OK) return
    end if

    n = g%n1
    n2 = g%n2
    n5 = c%n5
    far = present(ff_surf)
    far_atm = .false.
    qstale = 0.0_dp
    if (present(stale_ta4)) qstale = stale_ta4
    kfar = 0
    cfar = 0.0_dp
    if (present(climate)) then
      if (size(climate, 1) /= CLIM_NLS .or. size(climate, 2) /= CLIM_NLAT .or. &
          size(climate, 3) /= CLIM_NK) then
        status = KRC_E_INPUT
        message = 'climate opacities must be an array (72, 36, 2): Ls x latitude x (dust, ice)'
        return
      end if
    end if
    if (present(ff_atm) .and. .not. far) then
      status = KRC_E_INPUT
      message = 'a far-field atmosphere file (8 4) is read only with a far-field surface '// &
                'file (8 3): give both'
      return
    end if
    if (far) then
      if (.not. allocated(ff_surf%data)) then
        status = KRC_E_INPUT
        message = 'far-field surface (8 3) file: no data loaded'
        return
      end if
      if (present(ff_atm)) then
        if (.not. allocated(ff_atm%data)) then
          status = KRC_E_INPUT
          message = 'far-field atmosphere (8 4) file: no data loaded'
          return
        end if
      end if
      call far_setup(ff_surf, ff_atm, c%atmos, n2, n4, n24, alat, far_atm, kfar, ff_js, ff_ja, &
                     status, message)
      if (status /= KRC_OK) return
      ! A3.3: C = (((1 - Omega) eps) sigma) eps_far of the reading case.
      cfar = (((1.0_dp - c%skyfac)*c%emis)*SIGMA_SB)*ff_surf%emis
      allocate (ff_ts(n24, n4), rh(n24), rstep(n2))
      if (far_atm) allocate (ff_ta(n24, n4), tastep(n2))
    end if
    mm4 = max(0, min(n - 1, n24 - 3))
    allocate (cosi0(n2), cosi2(n2), absorbed(n2), downvis(n2), qdir(n2), qdif(n2), &
              f_coll(n2), f_down(n2), hfrac(n2), state(n, n4), ta_st(n4), frost_st(n4), tam_st(n4))
    allocate (o%ts_h(n24), o%dv_h(n24), o%tmin(n), o%tmax(n), o%tl(n24, nlout), o%tp_h(n24), &
              o%ta_h(n24), o%ir_h(n24))
    o%ts_h = 0.0_dp; o%dv_h = 0.0_dp; o%tp_h = 0.0_dp; o%ta_h = 0.0_dp; o%ir_h = 0.0_dp
    o%tl = 0.0_dp; o%tmin = 0.0_dp; o%tmax = 0.0_dp
    if (present(tsfh) .neqv. present(tpfh)) then
      status = KRC_E_INPUT
      message = 'case_run: tsfh and tpfh go together'
      return
    end if
    if (present(tsfh)) then
      if (size(tsfh) /= n24 .or. size(tpfh) /= n24) then
        status = KRC_E_INPUT
        write (message, '(a,i0)') 'hourly last-sol arrays must hold N24 = ', n24
        return
      end if
    end if
    id_out(I_N3) = c%n3
    id_out(34) = g%ngroups
    id_out(31) = n - 1
    ta_st = 0.0_dp
    frost_st = 0.0_dp
    tam_st = fd(F_TATM)
    sumf = 0.0_dp
    alb_last = 0.0_dp
    ta0 = 0.0_dp
    j5a = 1
    j5b = n5
    if (present(seasons) .neqv. present(carry)) then
      status = KRC_E_INPUT
      message = 'case_run: seasons and carry go together'
      return
    end if
    if (present(seasons)) then
      j5a = seasons(1)
      j5b = seasons(2)
      if (seasons(1) < 1 .or. seasons(2) < seasons(1) .or. seasons(2) > n5 .or. &
          carry%j5 /= seasons(1) - 1) then
        status = KRC_E_INPUT
        write (message, '(a,i0,a,i0,a,i0,a,i0)') 'seasons ', seasons(1), '..', seasons(2), &
          ' of N5 = ', n5, ' do not follow the carried season ', carry%j5
        return
      end if
      if (carry%j5 > 0) then
        if (.not. allocated(carry%state)) then
          status = KRC_E_INPUT
          message = 'case_run: the carried state is missing'
          return
        end if
        if (any(shape(carry%state) /= [n, n4])) then
          status = KRC_E_INPUT
          write (message, '(a,i0,a,i0,a)') 'the carried state has ', size(carry%state, 1), &
            ' layers and ', size(carry%state, 2), ' latitudes: N1 and N4 cannot change in a case'
          return
        end if
        state = carry%state
        ta_st = carry%ta
        frost_st = carry%frost
        tam_st = carry%tam
        sumf = carry%sumf
        alb_last = carry%alb_last
      end if
    end if

    ! Airless start (physics 5.1): annual-mean insolation with e, BLIP, SJA.
    ! e and BLIP are read from the PORB words of the common whether or not
    ! LPORB is set (zero in a run that never read a PORB block; after an LPORB
    ! case they are that block's: ladder deck m1, TEQUIL of its case 2);
    ! without LPORB SJA = DAU (physics 4.1).
    ecc = porb(P_ECC); blip = porb(P_BLIP)
    if (ld(L_LPORB)) then
      sja = porb(P_SJA)
    else
      sja = fd(F_DAU)
    end if
    ! Daytime and twilight thresholds without an atmosphere (physics 4.2, 4.4).
    mu_day = DAY_MU_AIRLESS
    mu_tw = 0.0_dp
    if (c%atmos) mu_tw = cos((90.0_dp + fd(F_TWILI))/R_K)

    ! Formats 4.2: with LKEY, DJUL is the Ls of season JDISK (onepoint 8.1).
    djone = fd(F_DJUL)
    if (ld(L_LKEY)) djone = ls_to_date(porb, fd(F_DJUL)) - real(c%jdisk - 1, dp)*c%deljul
    ! Onepoint 8.2: DJONE is fixed when the case begins.
    if (present(carry)) then
      if (carry%j5 > 0) djone = carry%djone
    end if
    do j5 = j5a, j5b
      ! Physics 4.1: date by multiplication; orbit or fixed geometry.
      djul = djone + real(j5 - 1, dp)*c%deljul
      if (ld(L_LPORB)) then
        call orbit_geometry(porb, djul, sdec, dau, subs)
      else
        sdec = fd(F_SDEC); dau = fd(F_DAU); subs = fd(F_SUBS)
      end if
      ! Physics 11: seasonal albedo and dust opacity tables (KVALB, KVTAU = 1).
      if (size(alb_table, 2) > 0) then
        c%alb = season_value(alb_table, subs)
        fds(F_ALB) = c%alb
      end if
      if (size(tau_table, 2) > 0) fds(F_TAUD) = season_value(tau_table, subs)
      ! Farfield-climate A3.2: the file's hourly values at this season's date.
      if (far) then
        call ff_season_hourly(ff_surf, djul, 1, ff_ts)
        if (far_atm) then
          if (present(ff_atm)) then
            call ff_season_hourly(ff_atm, djul, 3, ff_ta)
          else
            call ff_season_hourly(ff_surf, djul, 3, ff_ta)
          end if
        end if
      end if
      s = c%solcon/(dau*dau)
      tblow = 2.0_dp*(s/(c%emis*SIGMA_SB))**0.25_dp
      is = j5 - c%jdisk + 1
      ! Physics 7.5: season-level pressure (KPREF 0, 1 Viking curve, 2 frost).
      pzref = fd(F_PTOTAL)
      pgas = (1.0_dp - fd(F_FANON))*fd(F_PTOTAL)
      if (id(I_KPREF) == 1) then
        pzref = fd(F_PTOTAL)*viking_factor(djul)
        pgas = pgas + (pzref - fd(F_PTOTAL))
      else if (c%atmos .and. id(I_KPREF) == 2 .and. n4 > 8) then
        pzref = fd(F_PTOTAL) - sumf*fd(F_GRAV)
        pgas = pgas - sumf*fd(F_GRAV)
      end if

      if (logp) then
        ! krc-print-extras 1.3, 2: the season's geometry and the global frost at its start
        k0 = plog_season(g%n1, n4, n24, nmha, j5)
        plog(k0 + PS_SDEC) = sdec
        plog(k0 + PS_DAU) = dau
        plog(k0 + PS_SUBS) = subs
        plog(k0 + PS_DJUL) = djul
        plog(k0 + PS_SUMF) = sumf
        plog(k0 + PS_ALB) = fds(F_ALB)
        plog(k0 + PS_TAUD) = fds(F_TAUD)
      end if
      do j4 = 1, n4
        call sun_geometry(sdec, alat(j4), c%slope, c%sloazi, n2, cosi0, cosi2)
        frosted = frost_st(j4) > 0.0_dp
        if (c%atmos) then
          if (present(climate)) then
            call climate_opacities(climate, subs, alat(j4), cdust, cice)
            clim2 = [cdust, cice]
          end if
          a = atm_latitude(fds, ld(L_LVFT), ld(L_LVFA), pzref, pgas, elev(j4), tam_st(j4), &
                           daily_mean_cosi(alat(j4), sdec)*s, clim=clim2)
          mu_day = a%mu_lim
          call atm_insolation(n2, cosi0, a, fds, c%photo, frosted, f_coll, f_down, hfrac, alb_last)
          if (ec%mode == ECL_DAILY) then
            hfrac = hfrac*(s*ec%fac(:, j4))  ! eclipsed S (krc-eclipse 3.1)
            ! krc-eclipse 3.2: H from the eclipsed arrays (unvalidated).
            hbar = sum_in_order(hfrac)/real(n2, dp)
          else
            ! Mean heating for the equilibrium (physics 5.1): the fractions h
            ! summed, divided by N2, times S.  Ladder a3 (TAUD 1.5) decided it
            ! against sum(h S)/N2; sum(h S/N2), the reverse sum and S*(sum/N2)
            ! fit a3 as well, and no deck at hand tells them apart.
            hbar = sum_in_order(hfrac)/real(n2, dp)*s
            hfrac = hfrac*s                  ! H_v = h S (physics 6.3)
          end if
        else
          a = atm_t()
          f_coll = 1.0_dp
          f_down = 0.0_dp
          hfrac = 0.0_dp
        end if
        ! Albedo of the season: the frost state at its start decides (physics 4.5).
        alb0 = c%alb
        if (frosted) alb0 = a%afnow
        if (ec%mode == ECL_DAILY) then
          ! krc-eclipse 3.1: each step with its eclipsed flux S*f_n.
          do nst = 1, n2
            call sun_fluxes(1, cosi0(nst:nst), cosi2(nst:nst), f_coll(nst:nst), f_down(nst:nst), &
                            s*ec%fac(nst, j4), alb0, a%afnow, frosted, c%photo, c%skyfac, c%slope, &
                            c%sloazi, mu_day, mu_tw, absorbed(nst:nst), downvis(nst:nst), &
                            qdir(nst:nst), qdif(nst:nst))
          end do
        else
        call sun_fluxes(n2, cosi0, cosi2, f_coll, f_down, s, alb0, a%afnow, frosted, c%photo, &
                        c%skyfac, c%slope, c%sloazi, mu_day, mu_tw, absorbed, downvis, qdir, qdif)
        end if
        ! krc-eclipse 4.3, 5.5: the load and the rare eclipse of this latitude.
        o%fine_done = .false.
        call eclipse_latitude(ec, j4, alat(j4), j5 == n5, c%emis, c%photo, alb0, a%afnow, &
                              frosted, c%skyfac, c%slope, c%sloazi, c%ggt, tblow, mu_day, cosi0, &
                              cosi2, f_coll, qdir, qdif, el, pbar, status, message)
        if (status /= KRC_OK) return
        if (el%fine .and. present(fine)) then
          if (allocated(o%fine_rec)) deallocate (o%fine_rec)
          allocate (o%fine_rec(ec%nrow, 2*(el%j4 - el%j3)*ec%fs%f))
          o%fine_rec = 0.0_dp
        end if
        ! Physics 5.1: computed every season (stored in the common), used at J5 = 1.
        if (c%atmos) then
          ! Mean absorbed flux: the sum divided by N2 once (with the fourth
          ! root by two square roots in atm_equilibrium), physics 5.1.  Ladder
          ! a2 (latitude -80, T_a at the first midnight) decided it against
          ! sum(absorbed/N2); a4 and master keep it.  Summing from the first
          ! step of the partial sol (18 h) on fits as well.
          ibar = sum_in_order(absorbed)/real(n2, dp)
          ! ... with eps0 = FEMIS if the latitude starts the season frosted
          ! (physics 5.1 last item; stored TEQUIL of c1 at 85 N)
          if (frosted) then
            call atm_equilibrium(a, ibar, hbar, c%qg_eq, s, fds(F_TAUD), c%femis, teq, ta0)
          else
            call atm_equilibrium(a, ibar, hbar, c%qg_eq, s, fds(F_TAUD), c%emis, teq, ta0)
          end if
        else
          iy = (1.0_dp/sqrt(1.0_dp - ecc*ecc))*annual_mean_insol(alat(j4), blip)*c%solcon/ &
               (sja*sja)
          teq = (((1.0_dp - c%alb)*iy + c%qg_eq + pbar)/(SIGMA_SB*c%emis))**0.25_dp
        end if
        if (j5 == 1) ta_st(j4) = ta0
        if (far) then
          ! A3.3: far-field radiance and T_a at every step of the sol.
          do m = 1, n24
            rh(m) = ((ff_ts(m, ff_js(j4))*ff_ts(m, ff_js(j4)))* &
                     (ff_ts(m, ff_js(j4))*ff_ts(m, ff_js(j4))))*cfar
          end do
          call ff_spline(rh, kfar, rstep)
          if (far_atm) call ff_spline(ff_ta(:, ff_ja(j4)), kfar, tastep)
        end if
        ! krc-print-extras 4: the first element of the mean series
        if (logp) then
          if (j5 == 1) then
            o%ave0 = teq
          else
            o%ave0 = ave_st(:, j4)
          end if
        end if
        ! krc-eclipse 6.1: the sol counter of the -777 line is the sol count of
        ! the day loop finished last (1 if none).
        nd_prev = max(1, o%ndays)
        call latitude_season(g, c, a, absorbed, downvis, qdir, qdif, hfrac, j5 == 1, teq, &
                             tblow, n24, j5 == c%jbare, state(:, j4), ta_st(j4), frost_st(j4), &
                             o, status, message, rfar=rstep, tafar=tastep, qstale=qstale, ecl=el)
        if (status /= KRC_OK) then
          write (where, '(a,i0,a,f7.2,a)') ' (season ', j5, ', latitude ', alat(j4), ')'
          message = trim(message)//trim(where)
          return
        end if
        if (c%atmos) tam_st(j4) = o%tamean
        if (logp) then
          ave_st(:, j4) = o%ave_pred
          call log_latitude(plog(plog_lat(g%n1, n4, n24, nmha, j5, j4) + 1:), o, g%n1, n2, n24, &
                            teq, print_half_day(alat(j4), sdec), frost_st(j4), c%atmos, a, hfrac, &
                            qdir, c%alb)
        end if
        if (c%atmos .and. .not. far_atm .and. present(stale_ta4)) stale_ta4 = o%ta4_last
        if (present(tout) .and. present(nlad)) then
          if (j5 == n5 .and. j4 == nlad) tout = o%ts_step
        end if
        if (present(fine) .and. o%fine_done) then
          fine_end(1:3, j4) = [1.0_dp, o%fine_dt, o%fine_de]
          if (size(fine_end, 1) >= 4) fine_end(4, j4) = real(nd_prev, dp)
        end if
        if (present(fine) .and. o%fine_done .and. allocated(o%fine_rec)) then
          ! krc-eclipse 6.3: a latitude is stored while the file stays <= 5e6 words.
          if (real(nfine + 1, dp)*real(ec%nrow, dp)*real(ec%mcap, dp) <= 5.0e6_dp .and. &
              nfine < size(fine, 3)) then
            nfine = nfine + 1
            fine(:, 1:size(o%fine_rec, 2), nfine) = o%fine_rec
            fine_win(:, nfine) = [el%j3, 2*el%j4 - el%j3, j4]
          end if
          deallocate (o%fine_rec)
        end if
        if (is >= 1) then
          hourly(:, 1, j4, is) = o%ts_h
          if (c%atmos) then
            hourly(:, 2, j4, is) = o%tp_h
            hourly(:, 3, j4, is) = o%ta_h
            hourly(:, 5, j4, is) = o%ir_h
            hourly(3, 6, j4, is) = ta_st(j4)
            hourly(1, 7, j4, is) = frost_st(j4)
            hourly(2, 7, j4, is) = a%afnow
          end if
          hourly(:, 4, j4, is) = o%dv_h
          hourly(1, 6, j4, is) = real(o%ndays, dp)
          hourly(2, 6, j4, is) = o%dtm
          hourly(4:3 + mm4, 6, j4, is) = o%tmin(2:1 + mm4)
          hourly(3, 7, j4, is) = o%heat
          hourly(4:3 + mm4, 7, j4, is) = o%tmax(2:1 + mm4)
          layers(:, :, j4, is) = o%tl
        end if
      end do

      ! Physics 7.5: area-weighted global frost of the predictions (next season's cap).
      if (c%atmos .and. n4 > 8) then
        wsum = 0.0_dp
        edge_lo = -90.0_dp
        do j4 = 1, n4
          edge_hi = 90.0_dp
          if (j4 < n4) edge_hi = (alat(j4) + alat(j4 + 1))/2.0_dp
          wsum = wsum + (sin(edge_hi/R_K) - sin(edge_lo/R_K))/2.0_dp*frost_st(j4)
          edge_lo = edge_hi
        end do
        sumf = wsum
      end if

      if (is >= 1) then
        svals(:, is) = [djul, subs, pzref, fds(F_TAUD), sumf]
        if (is == 1) then
          fd_out(F_ALB) = fds(F_ALB)       ! as reset by the seasonal tables
          fd_out(F_TAUD) = fds(F_TAUD)
          fd_out(F_SDEC) = sdec
          fd_out(F_DAU) = dau
          if (ld(L_LPORB)) fd_out(F_SUBS) = subs
          ! Bookkeeping words of the common (formats 1.5, 1.6), as KRC
          ! leaves them after the last latitude of the season.
          fd_out(65) = 1.0e308_dp
          fd_out(66) = 1.0e-307_dp
          fd_out(67) = 700.0_dp
          if (ld(L_LPORB)) fd_out(68) = porb(14)
          fd_out(70) = R_GAS
          fd_out(71) = a%tcloud
          fd_out(72) = a%p
          fd_out(73) = a%tau_vis
          fd_out(74) = a%tau_ir
          ! Without an atmosphere KRC never sets TATMJ: a fresh run shows its
          ! initial single-precision value 77.7 in every reference file.
          if (.not. c%atmos) fd_out(76) = real(77.7_sp, dp)
          if (c%atmos) then
            fd_out(75) = a%tau_eff
            fd_out(76) = o%ta_end        ! TATMJ: T_a at the last midnight, unpredicted
            fd_out(85) = a%scaleh
            fd_out(89) = o%frost_end     ! EFROST: frost at the last midnight
          end if
          fd_out(77) = c%skyfac
          fd_out(78) = a%tf
          fd_out(79) = a%afnow
          fd_out(80) = pzref
          fd_out(81) = sumf
          fd_out(82) = teq
          fd_out(34) = g%flay          ! FLAY as replaced by DEPTH (physics 1.2)
          fd_out(83) = tblow
          fd_out(86) = a%beta
          fd_out(87) = djul
          fd_out(88) = half_day(alat(n4), sdec)
          fd_out(90) = alat(n4)
          fd_out(91) = g%cond_u
          fd_out(92) = g%diffu_u
          fd_out(93) = g%scale_u
          fd_out(94) = PI_K
          fd_out(95) = SIGMA_SB
          fd_out(96) = R_K
          id_out(24) = 8
          id_out(25) = 365
          id_out(28) = 64
          id_out(29) = 20
          id_out(30) = 20
          id_out(32) = 1 + (n - 3)/10
          id_out(33) = 1                 ! JJO: 1 in every reference file
          id_out(35) = n
          if (c%iib <= -1) id_out(35) = n + 1
          id_out(38) = o%ndays
          id_out(39) = n4
          id_out(40) = j5
        end if
      end if
    end do
    if (present(tsfh)) tsfh = o%ts_h
    if (present(tpfh)) tpfh = o%tp_h
    if (present(carry)) then
      carry%j5 = j5b
      carry%state = state
      carry%ta = ta_st
      carry%frost = frost_st
      carry%tam = tam_st
      carry%sumf = sumf
      carry%alb_last = alb_last
      carry%djone = djone
    end if
  end subroutine case_run

  !> Checks of a case reading far-field files (farfield-climate A1, A3.3,
  !> A5), and the file latitude of each case latitude.  Refuses what the
  !> original turns into garbage or a run-ending error: a size or latitude
  !> mismatch, N2/N24 = 1 or > 32, N2 above the 6144-step cap, a case with
  !> an atmosphere but no far-field T_a.
  subroutine far_setup(fs, fa, atmos, n2, n4, n24, alat, far_atm, kfar, js, ja, status, message)
    type(ff_file_t), intent(in) :: fs
    type(ff_file_t), intent(in), optional :: fa
    logical, intent(in) :: atmos
    integer, intent(in) :: n2, n4, n24
    real(dp), intent(in) :: alat(n4)
    logical, intent(out) :: far_atm
    integer, intent(out) :: kfar
    integer, allocatable, intent(out) :: js(:), ja(:)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message

    status = KRC_E_INPUT
    message = ' '
    far_atm = .false.
    kfar = 0
    allocate (js(n4), ja(n4))
    js = 0
    ja = 0
    call far_file_check(fs, 'surface (8 3)', 1, n4, n24, alat, js, status, message)
    if (status /= KRC_OK) return
    status = KRC_E_INPUT
    if (mod(n2, n24) /= 0) then
      write (message, '(a,i0,a,i0,a)') 'N2 = ', n2, ' is not a multiple of N24 = ', n24, &
        ' of the far-field file (KRC error 37): set N2 to a multiple of N24'
      return
    end if
    kfar = n2/n24
    if (kfar == 1) then
      write (message, '(a,i0,a)') 'N2 = N24 = ', n2, ' with a far-field file: KRC then adds '// &
        'the far-field temperatures as if they were fluxes (W m-2); set N2 to 2..32 times N24'
      return
    end if
    if (kfar > FF_MAXK) then
      write (message, '(a,i0,a,i0,a,i0,a)') 'N2/N24 = ', kfar, ' > ', FF_MAXK, &
        ' with a far-field file: KRC fills only the first 32*N24 steps of the far field '// &
        '(the atmosphere at 0 K for the rest of the sol); set N2 <= ', FF_MAXK*n24, &
        ' (32 x N24)'
      return
    end if
    if (n2 > FF_N2_CAP) then
      write (message, '(a,i0,a,i0,a,i0)') 'N2 = ', n2, ' with a far-field file: KRC caps N2 at ', &
        FF_N2_CAP, ' (and overruns its step arrays in later cases); set N2 <= ', FF_N2_CAP
      return
    end if
    if (atmos) then
      if (present(fa)) then
        if (fa%nkind /= 3) then
          write (message, '(a,i0,a)') 'the far-field atmosphere file (8 4) is of kind -', &
            fa%nkind, ': only a kind -3 file (K4OUT -3) holds T_a (KRC skips the case)'
          return
        end if
        call far_file_check(fa, 'atmosphere (8 4)', 3, n4, n24, alat, ja, status, message)
        if (status /= KRC_OK) return
        status = KRC_E_INPUT
      else if (fs%nkind == 3) then
        ja = js
      else
        write (message, '(a,i0,a)') 'the case has an atmosphere but the far-field surface '// &
          'file is of kind -', fs%nkind, ' and no 8 4 file supplies T_a (KRC: "need fff '// &
          'atmosphere but none available", case skipped): write the flat case with K4OUT -3'
        return
      end if
      far_atm = .true.
    end if
    status = KRC_OK
  end subroutine far_setup

  !> The checks of far_setup on the headers of the files a case will read
  !> (no data needed): the deck driver refuses a run with them before
  !> anything is written (farfield-climate A5); case_run makes them again.
  !> fd, id: the case as it will run (N2 after the 6144 cap of A1 item 1).
  subroutine ff_case_check(fd, id, n4, alat, fs, fa, status, message)
    real(dp), intent(in) :: fd(NFD)
    integer, intent(in) :: id(NID), n4
    real(dp), intent(in) :: alat(n4)
    type(ff_file_t), intent(in) :: fs
    type(ff_file_t), intent(in), optional :: fa
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer, allocatable :: js(:), ja(:)
    logical :: far_atm
    integer :: kfar
    ! physics 5.3: an atmosphere when PTOTAL > 1 Pa (as case_setup)
    call far_setup(fs, fa, fd(F_PTOTAL) > 1.0_dp, id(2), n4, id(6), alat, far_atm, kfar, js, &
                   ja, status, message)
  end subroutine ff_case_check

  !> One far-field file against the reading case (A1 item 1, A3.3).
  subroutine far_file_check(f, what, mkind, n4, n24, alat, jf, status, message)
    type(ff_file_t), intent(in) :: f
    character(len=*), intent(in) :: what
    integer, intent(in) :: mkind, n4, n24
    real(dp), intent(in) :: alat(n4)
    integer, intent(out) :: jf(n4)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: j4

    status = KRC_E_INPUT
    message = ' '
    jf = 0
    if (f%n4 /= n4 .or. f%n24 /= n24) then
      write (message, '(3a,i0,a,i0,a,i0,a,i0,a)') 'far-field ', what, ' file has N4 = ', f%n4, &
        ', N24 = ', f%n24, ' but the case N4 = ', n4, ', N24 = ', n24, &
        ' (KRC ends the whole run): give the case the latitudes and N24 of the flat run'
      return
    end if
    if (f%ns < 1) then
      message = 'far-field '//what//' file: holds no stored season'
      return
    end if
    if (allocated(f%data)) then
      if (size(f%data, 1) /= f%n24 .or. size(f%data, 2) /= f%n4 .or. size(f%data, 3) /= f%ns &
          .or. size(f%data, 4) < mkind) then
        message = 'far-field '//what//' file: data array disagrees with its header'
        return
      end if
    end if
    if (.not. (f%deljul > 0.0_dp .and. f%year > 0.0_dp)) then
      message = 'far-field '//what//' file: DELJUL and the year length must be positive'
      return
    end if
    do j4 = 1, n4
      jf(j4) = ff_lat_index(f, alat(j4))
      if (jf(j4) == 0) then
        write (message, '(a,f8.3,3a)') 'latitude ', alat(j4), ' of the case is not within '// &
          '0.1 deg of any latitude of the far-field ', what, &
          ' file (KRC error 38): use the flat run''s latitudes'
        return
      end if
    end do
    status = KRC_OK
  end subroutine far_file_check

  !> Read the scalar settings of a case and apply the run-time resets of
  !> physics 5.3 (N3) and 5.3 (NRSET).
  subroutine case_setup(fd, id, c, status, message)
    real(dp), intent(in) :: fd(NFD)
    integer, intent(in) :: id(NID)
    type(case_t), intent(out) :: c
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message

    status = KRC_OK
    message = ' '
    c%alb = fd(F_ALB); c%emis = fd(F_EMIS); c%tdeep = fd(F_TDEEP)
    c%ggt = fd(F_GGT); c%dtmax = fd(F_DTMAX); c%period = fd(F_PERIOD); c%deljul = fd(F_DELJUL)
    c%slope = fd(F_SLOPE); c%sloazi = fd(F_SLOAZI); c%solcon = fd(F_SOLCON)
    c%skyfac = sky_factor(c%slope, c%sloazi)
    c%photo = photo_setup(fd(F_PHOG))
    c%n3 = id(I_N3); c%n5 = id(I_N5); c%n24 = id(I_N24); c%iib = id(I_IIB)
    c%jdisk = id(I_JDISK)
    if (c%jdisk <= 0) c%jdisk = 9999
    c%jbare = id(I_JBARE)
    c%atmos = fd(F_PTOTAL) > 1.0_dp
    c%femis = fd(F_FEMIS)
    c%cfrost = fd(F_CFROST)
    c%froext = fd(F_FROEXT)
    if (c%iib > 0) then
      c%qg_eq = real(0.001_sp, dp)*real(c%iib, dp)
      c%qg_bot = 0.001_dp*real(c%iib, dp)
    end if
    ! Physics 5.3 (jump perturbation): d_r.
    c%dr = id(I_NRSET)
    if (c%dr < 1) c%dr = 2
    if (c%iib <= -1) c%dr = 999

    if (.not. (c%emis > 0.0_dp .and. c%period > 0.0_dp .and. c%ggt > 0.0_dp)) then
      status = KRC_E_INPUT
      message = 'EMISS, PERIOD and GGT must be > 0'
      return
    end if
    ! Physics 5.3: N3 is lowered to the sols in a season (at most 15).
    c%n3 = lowered_n3(c%n3, c%n5, c%deljul, c%period)
    if (c%n3 < 1) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a)') 'N3 = ', c%n3, &
        ' sols per season: DELJUL must be at least one PERIOD and N3 >= 1'
    else if (c%n3 > MAXN3 - 1) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a,i0)') 'N3 = ', c%n3, ' sols per season: at most ', MAXN3 - 1
    else if (c%n5 < 1) then
      status = KRC_E_INPUT
      message = 'N5 must be >= 1'
    else if (c%n24 < 3) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a)') 'N24 = ', c%n24, ': at least 3 stored hours per sol'
    else if (c%n24 > id(I_N2)) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a,i0,a)') 'N24 = ', c%n24, ' stored hours but only N2 = ', &
        id(I_N2), ' time steps per sol: N2 must be at least N24 (and a multiple of it)'
    end if
  end subroutine case_setup

  !> N3 after KRC's lowering to the sols in a season, at most 15 (physics 5.3),
  !> done when N5 > 1.  Also used by the krc program for cases it skips.
  pure integer function lowered_n3(n3, n5, deljul, period) result(m)
    integer, intent(in) :: n3, n5
    real(dp), intent(in) :: deljul, period
    m = n3
    if (n5 > 1 .and. period > 0.0_dp) m = min(n3, int(deljul/period), MAXN3 - 1)
  end function lowered_n3

  !> One latitude for one season: initial state, day loop, prediction
  !> (physics 5.2-5.4, 2, 3, 6.4, 7.3).  state(1) = T_s, state(2..N) =
  !> layers; ta, frost: atmosphere temperature and frost mass.  On entry the
  !> previous season's predictions (unless first), on exit this season's.
  !> Far field (farfield-climate A3.4), optional: rfar(N2) the far-field
  !> radiance of each step, tafar(N2) the far-field T_a (the atmosphere is
  !> then not integrated), qstale the stale T_a^4 that enters T_p.
  subroutine latitude_season(g, c, a, absorbed, downvis, qdir, qdif, hv, first, teq, tblow, &
                             n24, bare, state, ta, frost, o, status, message, rfar, tafar, qstale, &
                             ecl)
    type(grid_t), intent(in) :: g
    type(case_t), intent(in) :: c
    type(atm_t), intent(in) :: a
    real(dp), intent(in) :: absorbed(:), downvis(:), qdir(:), qdif(:), hv(:), teq, tblow
    logical, intent(in) :: first, bare
    integer, intent(in) :: n24
    real(dp), intent(inout) :: state(:), ta, frost
    type(lat_out_t), intent(inout) :: o
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp), intent(in), optional :: rfar(:), tafar(:), qstale
    !> Planetary load and rare eclipse of this latitude (krc-eclipse 4, 5).
    type(ecl_lat_t), intent(in), optional :: ecl

    real(dp), allocatable :: t(:), dti(:), sums(:), hist(:, :), kk(:), cc(:), hta(:), hfr(:)
    real(dp), allocatable :: tback(:)
    logical :: eload, erare, efine
    integer :: ej9
    integer, allocatable :: jout(:)
    real(dp) :: ts, ttop, tbot, c1, heat, tssum, heatsum, tsmean, dtd, dtprev, x, ssq, cond
    real(dp) :: fac, fac4, q, qprev, f1, f3, bot_off, tf, rdown, ta4, ts4, af, w, snow
    real(dp) :: fsky_ir, fsky_fr, fcs, tf4s, tausurf, tamsum, tp4
    integer :: n, n2, j, step, nstart, d, kn, im, nsteps, m
    logical :: lastday, reset, frosted, sample
    ! print log (krc-print-extras 3, 4)
    logical :: logp
    integer :: ip
    integer, allocatable :: jmha(:)
    real(dp) :: tbsum, slot1
    real(dp), allocatable :: ys(:), yb(:)

    status = KRC_OK
    message = ' '
    n = g%n1
    n2 = g%n2
    allocate (t(n + 1), dti(n + 1), sums(n + 1), hist(n, 0:MAXN3), kk(n + 1), cc(n + 1), &
              jout(n24), hta(0:MAXN3), hfr(0:MAXN3))
    dti = 0.0_dp
    sums = 0.0_dp
    kk = g%k
    cc = g%c
    do m = 1, n24
      jout(m) = nint(real(m, dp)*real(n2, dp)/real(n24, dp))
    end do
    tf = TF_AIRLESS
    if (c%atmos) tf = a%tf

    ! Physics 5.2: start of the season.
    nstart = 1
    if (first) then
      ttop = teq
      tbot = teq
      if (c%iib <= -1) tbot = c%tdeep
      if (c%iib < -1) ttop = c%tdeep
      do j = 1, n
        t(j) = ttop + (tbot - ttop)*(g%z(j) - g%z(1))/(g%z(n) - g%z(1))
      end do
      t(n + 1) = tbot
      ts = ttop
      frost = 0.0_dp
      if (c%n3 > 3) nstart = nint(0.75_dp*real(n2, dp)) + 1
    else
      ts = state(1)
      t(2:n) = state(2:n)
      t(1) = ts
      t(n + 1) = t(n)
      if (c%iib <= -1) t(n + 1) = c%tdeep
    end if
    ! Print log: LP4 row 1 (krc-print-extras 4) with the profile before the
    ! frost start; the LP3 print steps nint(p N2 / NMHA) (3 item 5).
    logp = allocated(o%lp3)
    if (logp) then
      allocate (ys(0:MAXN3), yb(0:MAXN3), jmha(o%nmha))
      ys = 0.0_dp
      yb = 0.0_dp
      ys(0) = o%ave0(1)
      yb(0) = o%ave0(2)
      do m = 1, o%nmha
        jmha(m) = nint(real(m, dp)*real(n2, dp)/real(o%nmha, dp))
      end do
      o%lp3 = 0.0_dp
      o%lp4 = 0.0_dp
      slot1 = ts
      o%lp4(1:4, 1) = [-1.0_dp, o%ave0(1), o%ave0(2), slot1]
      o%lp4(5:4 + o%np, 1) = t(o%pidx(1:o%np))
    end if
    ! A season that starts with frost starts at the frost point (physics 7.4).
    frosted = frost > 0.0_dp
    if (frosted) ts = tf
    hist(1, 0) = ts
    hist(2:n, 0) = t(2:n)
    hta(0) = ta
    hfr(0) = frost

    c1 = 1.0_dp + 1.0_dp/g%rlay
    fac = c%skyfac*c%emis*SIGMA_SB
    fac4 = 4.0_dp*fac
    if (present(rfar)) then
      ! A3.4: with a far field the emission is full-hemisphere.
      fac = c%emis*SIGMA_SB
      fac4 = 4.0_dp*fac
    end if
    fsky_ir = c%skyfac*c%emis        ! Omega eps for the absorbed R_down (physics 3.1)
    fsky_fr = c%skyfac*c%femis       ! Omega FEMIS on frost (physics 3.2)
    tausurf = exp(-a%tau_ir)         ! zenith IR transmission for T_p (physics 6.5)
    bot_off = 0.0_dp
    if (c%iib > 0) bot_off = c%qg_bot*(g%b(n) + g%b(n + 1))/(2.0_dp*g%k(n))
    cond = g%cond_s
    rdown = 0.0_dp
    ta4 = 0.0_dp

    eload = .false.
    erare = .false.
    efine = .false.
    ej9 = 0
    if (present(ecl)) then
      eload = ecl%load
      erare = ecl%rare
      efine = ecl%fine
      ej9 = 2*ecl%j4 - ecl%j3
      if (efine) allocate (tback(ecl%fs%jlow))
    end if
    lastday = c%n3 <= 1
    reset = .false.
    dtprev = -1.0_dp
    d = 0
    do
      d = d + 1
      if (lastday) then
        reset = .false.
        o%tmin = huge(1.0_dp)
        o%tmax = -huge(1.0_dp)
      end if
      if (reset) sums = 0.0_dp
      tssum = 0.0_dp
      heatsum = 0.0_dp
      tamsum = 0.0_dp
      tbsum = 0.0_dp
      ip = 1
      im = 1
      do while (im <= n24)
        if (jout(im) >= nstart) exit
        im = im + 1
      end do

      do step = nstart, n2
        ! Physics 2.1 step 1: virtual layer (1.4) and base node (1.5).
        t(1) = t(2) - c1*(t(2) - ts)
        if (c%iib <= -1) then
          t(n + 1) = c%tdeep
        else if (c%iib > 0) then
          t(n + 1) = t(n) + bot_off
        else
          t(n + 1) = t(n)
        end if
        ! krc-eclipse 5.3: rare eclipse on the last sol (fine run, hand-back).
        if (efine .and. lastday) then
          if (step == ecl%j3 + 1) then
            if (allocated(o%fine_rec)) then
              call fine_run(ecl%fs, g%z, g%b, n, ts, t, ecl, c%emis, tback, status, message, &
                            o%fine_rec)
            else
              call fine_run(ecl%fs, g%z, g%b, n, ts, t, ecl, c%emis, tback, status, message)
            end if
            if (status /= KRC_OK) return
            o%fine_done = .true.
          else if (step == ej9 + 1) then
            o%fine_dt = tback(ecl%fs%jlow) - t(ecl%fs%jlow)
            o%fine_de = g%b(ecl%fs%jlow)*g%rho(ecl%fs%jlow)*g%c(ecl%fs%jlow)*o%fine_dt
            t(1:ecl%fs%jlow) = tback
            ts = tback(1)
          end if
        end if
        ! Step 2: layer increments from the old temperatures, then apply.
        kn = g%glast(min(trailz(step), g%kdbl))
        if (g%lkoft) then
          ! Physics 8: properties at the current temperatures.
          ! (Only layers 2..kn+1 enter this step; the others are evaluated
          ! again at the steps that update them.)
          do j = 2, kn + 1
            if (g%mat(j) > 0) then
              kk(j) = kt_poly(g%cck(:, g%mat(j)), t(j))
              cc(j) = kt_poly(g%ccp(:, g%mat(j)), t(j))
            end if
          end do
          qprev = g%rlay
          do j = 2, kn
            q = g%rb(j)*kk(j)/kk(j + 1)
            f1 = g%f1t(j)*kk(j)/(cc(j)*(1.0_dp + q))
            f3 = (1.0_dp + q)/(1.0_dp + 1.0_dp/qprev)
            dti(j) = f1*((t(j + 1) - (1.0_dp + f3)*t(j)) + f3*t(j - 1))
            qprev = q
          end do
          cond = kk(2)/g%z(2)
        else
          do j = 2, kn
            dti(j) = g%f1(j)*((t(j + 1) + g%f2(j)*t(j)) + g%f3(j)*t(j - 1))
          end do
        end if
        do j = 2, kn
          t(j) = t(j) + dti(j)
        end do
        ! Step 3: surface balance (physics 3.1 bare, 3.2 frost); R_down uses
        ! T_a before this step's update (physics 6.4).
        if (present(tafar)) ta = tafar(step)     ! A3.4: T_a from the far-field file
        if (c%atmos) then
          ta4 = (ta*ta)*(ta*ta)
          rdown = SIGMA_SB*a%beta*ta4
        end if
        if (frosted) then
          af = a%afnow + (c%alb - a%afnow)*exp(-frost/max(c%froext, 0.01_dp))
          tf4s = (tf*tf)*(tf*tf)
          heat = cond*(t(2) - tf)
          w = (1.0_dp - af)*qdir(step) + (1.0_dp - af)*qdif(step) + fsky_fr*rdown + heat - &
              c%femis*SIGMA_SB*tf4s
          if (present(rfar)) w = w + (c%femis/c%emis)*rfar(step)
          frost = frost - (w/c%cfrost)*g%dt
          if (frost <= 0.0_dp) then
            frost = 0.0_dp
            frosted = .false.
          end if
          ts = tf
        else
          if (c%atmos) then
            fcs = absorbed(step) + fsky_ir*rdown
          else
            fcs = absorbed(step)
          end if
          if (eload) then                ! krc-eclipse 4.2
            fcs = fcs + ecl%emis*ecl%pir(step)
            fcs = fcs + (1.0_dp - ecl%as)*ecl%pvis(step)
          end if
          if (present(rfar)) then
            call surface_newton(fcs, cond, t(2), fac, fac4, c%ggt, tblow, ts, heat, status, &
                                rfar(step))
          else
            call surface_newton(fcs, cond, t(2), fac, fac4, c%ggt, tblow, ts, heat, status)
          end if
          if (status /= KRC_OK) then
            write (message, '(a,i0,a,i0,a,es12.5,a,es12.5)') &
              'surface temperature blow-up at sol ', d, ' step ', step, ': Ts = ', ts, &
              ', TBLOW = ', tblow
            return
          end if
          ! Frost forms when the bare surface falls below the frost point.
          if (c%atmos .and. ts < tf) then
            ts = tf
            frosted = .true.
          end if
        end if
        ! Step 4: the one-layer atmosphere (physics 6.4) and, only where it is
        ! stored, T_p (6.5) from the T_a before the update.
        sample = .false.
        if (im <= n24) sample = lastday .and. step == jout(im)
        if (c%atmos) then
          ts4 = (ts*ts)*(ts*ts)
          tp4 = ta4
          if (present(tafar)) tp4 = qstale     ! A3.4 bug 2: the stale T_a^4
          if (sample) then
            if (frosted) then
              o%tp_scratch = (tausurf*c%femis*ts4 + (1.0_dp - tausurf)*tp4)**0.25_dp
            else
              o%tp_scratch = (tausurf*c%emis*ts4 + (1.0_dp - tausurf)*tp4)**0.25_dp
            end if
          end if
          ! (dt/C_a) first: the grouping that reproduces KRC's last bits.
          if (.not. present(tafar)) &
          ta = ta + (g%dt/a%ca)*(hv(step) + SIGMA_SB*a%beta*(c%emis*ts4 - 2.0_dp*ta4))
        end if
        ! Step 5: daily sums and output samples (physics 2.4).
        tssum = tssum + ts
        heatsum = heatsum + heat
        if (lastday .and. allocated(o%ts_step)) o%ts_step(step) = ts
        if (logp) then
          ! krc-print-extras 4: T_N1 after the layer update; 3: the LP3 row
          tbsum = tbsum + t(n)
          if (lastday .and. ip <= o%nmha) then
            do while (ip <= o%nmha)
              if (jmha(ip) /= step) exit
              slot1 = t(1)
              if (im <= n24) then
                if (step == jout(im)) slot1 = ts
              end if
              o%lp3(1, ip) = frost
              o%lp3(2, ip) = slot1
              o%lp3(3:2 + o%np, ip) = t(o%pidx(1:o%np))
              if (c%atmos) then
                o%lp3(3 + o%np, ip) = ta
              else
                o%lp3(3 + o%np, ip) = real(77.7_sp, dp)   ! TATMJ never set (spec 3)
              end if
              ip = ip + 1
            end do
          end if
        end if
        if (reset) then
          do j = 2, n
            sums(j) = sums(j) + t(j)
          end do
        end if
        if (im <= n24) then
          if (step == jout(im)) then
            if (lastday) then
              o%ts_h(im) = ts
              o%dv_h(im) = downvis(step)
              if (c%atmos) then
                o%tp_h(im) = o%tp_scratch
                o%ta_h(im) = ta
                o%ir_h(im) = rdown
              end if
              o%tmin(1) = min(o%tmin(1), ts)
              o%tmax(1) = max(o%tmax(1), ts)
              do j = 2, n
                o%tmin(j) = min(o%tmin(j), t(j))
                o%tmax(j) = max(o%tmax(j), t(j))
              end do
              do j = 1, size(o%tl, 2)
                o%tl(im, j) = t(j + 1)
              end do
            end if
            tamsum = tamsum + ta
            im = im + 1
          end if
        end if
      end do

      ! End of sol (physics 5.3).  1: snow from the atmosphere (physics 7.3).
      if (c%atmos) then
        if (ta < a%tcloud) then
          snow = (a%tcloud - ta)*a%ca/c%cfrost
          if (frosted) then
            frost = frost + snow
          else
            frosted = .true.
            frost = snow
            ts = tf
          end if
          ta = a%tcloud
        end if
      end if
      ! 2: midnight vector and its RMS change.
      nsteps = n2 + 1 - nstart
      tsmean = tssum/real(nsteps, dp)
      hist(1, d) = ts
      hist(2:n, d) = t(2:n)
      hta(d) = ta
      hfr(d) = frost
      ssq = 0.0_dp
      do j = 1, n
        ssq = ssq + (hist(j, d) - hist(j, d - 1))**2
      end do
      dtd = sqrt(ssq/real(n, dp))
      o%ndays = d
      o%dtm = dtd
      if (logp .and. d <= MAXN3) then
        ! krc-print-extras 4: LP4 row d+1 and the daily-mean series
        ys(d) = tsmean
        yb(d) = tbsum/real(nsteps, dp)
        if (d + 1 <= LP4_ROWS) then
          o%lp4(1:4, d + 1) = [dtd, ys(d), yb(d), hist(1, d)]
          o%lp4(5:4 + o%np, d + 1) = hist(o%pidx(1:o%np), d)
        end if
      end if
      o%heat = heatsum/real(nsteps, dp)
      o%tamean = tamsum/real(n24, dp)
      if (lastday) then
        if (dtd <= dtprev .or. dtd <= c%dtmax .or. d >= c%n3 - 1 .or. erare) exit
      end if
      lastday = ((abs(1.0_dp - dtd/max(dtprev, 1.0e-6_dp)) <= DDT .or. dtd <= c%dtmax) .and. &
                 d >= 2) .or. d == c%n3 - 1
      if (.not. lastday) then
        ! Jump perturbation (physics 5.3): move each layer's daily mean to T_s mean.
        if (reset) then
          do j = 2, n
            t(j) = t(j) - (sums(j)/real(n2, dp) - tsmean)
          end do
        end if
        if (first .and. d >= c%dr) reset = .true.
      end if
      dtprev = dtd
      nstart = 1
      if (d >= MAXN3) then
        status = KRC_E_INPUT
        message = 'day loop did not end within the N3 limit'
        return
      end if
    end do

    o%frost_end = frost
    o%ta_end = ta
    o%ta4_last = ta4
    ! Physics 5.4: predict every layer (surface included), T_a and frost to
    ! the season end.
    x = c%deljul/c%period - real(d, dp)
    do j = 1, n
      state(j) = predict(hist(j, 0:d), x, tf, tblow)
    end do
    if (logp) then
      ! krc-print-extras 4: SURF AVE, BOTM AVE from the same predictor
      o%ave_pred(1) = predict(ys(0:d), x, tf, tblow)
      o%ave_pred(2) = predict(yb(0:d), x, tf, tblow)
    end if
    if (c%atmos) then
      ta = predict(hta(0:d), x, a%tcloud - 20.0_dp, tblow)
      frost = predict(hfr(0:d), x, 0.0_dp, FROST_MAX)
      if (bare) frost = 0.0_dp
    end if
  end subroutine latitude_season

  !> Value of a seasonal table at Ls (physics 11): linear in Ls between the
  !> bracketing rows, the table wrapped by one row at each end (last row at
  !> Ls - 360 before the first, first at Ls + 360 after the last), evaluated
  !> in single precision.  (Unvalidated against the original: no reference
  !> output uses a table without the Viking pressure curve.)
  pure real(dp) function season_value(tab, ls) result(v)
    real(dp), intent(in) :: tab(:, :), ls
    real(sp) :: x, x0, x1, y0, y1
    integer :: n, i
    n = size(tab, 2)
    x = real(modulo(ls, 360.0_dp), sp)
    if (n == 1) then
      v = real(real(tab(2, 1), sp), dp)
      return
    end if
    ! Rows 0 and n+1 are the wrapped copies.
    x0 = real(tab(1, n), sp) - 360.0_sp
    y0 = real(tab(2, n), sp)
    x1 = x0
    y1 = y0
    do i = 1, n + 1
      if (i <= n) then
        x1 = real(tab(1, i), sp)
        y1 = real(tab(2, i), sp)
      else
        x1 = real(tab(1, 1), sp) + 360.0_sp
        y1 = real(tab(2, 1), sp)
      end if
      if (x <= x1) exit
      x0 = x1
      y0 = y1
    end do
    if (x1 > x0) then
      v = real(y0 + (y1 - y0)*((x - x0)/(x1 - x0)), dp)
    else
      v = real(y1, dp)
    end if
  end function season_value

  !> A seasonal table: finite, Ls non-decreasing within [0, 360], values in
  !> [lo, hi] (physics 11, formats 1.12).
  subroutine check_table(tab, what, lo, hi, status, message)
    real(dp), intent(in) :: tab(:, :), lo, hi
    character(len=*), intent(in) :: what
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: i
    status = KRC_OK
    message = ' '
    if (size(tab, 2) == 0) return
    do i = 1, size(tab, 2)
      if (.not. (tab(1, i) >= 0.0_dp .and. tab(1, i) <= 360.0_dp)) then
        status = KRC_E_INPUT
        write (message, '(a,a,a,i0,a,g0.6,a)') 'seasonal ', what, ' table row ', i, ': Ls = ', &
          tab(1, i), ' is outside [0, 360]'
        return
      end if
      if (.not. (tab(2, i) >= lo .and. tab(2, i) <= hi)) then
        status = KRC_E_INPUT
        write (message, '(a,a,a,i0,a,g0.6,a,g0.6,a)') 'seasonal ', what, ' table row ', i, &
          ': value ', tab(2, i), ' is outside [', lo, ', ...]'
        return
      end if
    end do
    do i = 2, size(tab, 2)
      if (tab(1, i) < tab(1, i - 1)) then
        status = KRC_E_INPUT
        write (message, '(a,a,a,i0,a)') 'seasonal ', what, ' table row ', i, &
          ': Ls must not decrease'
        return
      end if
    end do
  end subroutine check_table

  !> Half the length of daylight, degrees of hour angle (FD 88 DAM), with
  !> KRC's degree conversion (physics 9): acos(-tan(lat) tan(dec)), 0 in
  !> polar night and 180 in polar day.
  pure real(dp) function half_day(lat, dec) result(dam)
    real(dp), intent(in) :: lat, dec
    real(dp) :: x, p, d
    ! print-extras "Half-day": the sine/cosine form, not tan*tan (last bits)
    p = lat/R_K
    d = dec/R_K
    x = -(sin(p)*sin(d))/max(1.0e-10_dp, cos(p)*cos(d))
    if (x >= 1.0_dp) then
      dam = 0.0_dp
    else if (x <= -1.0_dp) then
      dam = 180.0_dp
    else
      dam = acos(x)*R_K
    end if
  end function half_day

  !> Half-day length for LP3 (krc-print-extras 3): acos of
  !> -(sin lat sin dec)/max(1e-10, cos lat cos dec), 0 / 180 beyond +-1.
  pure real(dp) function print_half_day(lat, dec) result(dam)
    real(dp), intent(in) :: lat, dec
    real(dp) :: x
    x = -(sin(lat/R_K)*sin(dec/R_K))/max(1.0e-10_dp, cos(lat/R_K)*cos(dec/R_K))
    if (abs(x) < 1.0_dp) then
      dam = acos(x)*R_K
    else if (x >= 1.0_dp) then
      dam = 0.0_dp
    else
      dam = 180.0_dp
    end if
  end function print_half_day

  !> One latitude block of the print log (krc_prtlog) from the outputs of
  !> latitude_season: head, LP3, LP4, hourly T_s, layer extremes, fort.76.
  subroutine log_latitude(b, o, n1, n2, n24, teq, dam, frost4, atmos, a, hv, qdir, alb)
    real(dp), intent(inout) :: b(:)
    type(lat_out_t), intent(in) :: o
    integer, intent(in) :: n1, n2, n24
    real(dp), intent(in) :: teq, dam, frost4, hv(:), qdir(:), alb
    logical, intent(in) :: atmos
    type(atm_t), intent(in) :: a
    integer :: np, nmha, k, i, jj, w
    np = o%np
    nmha = o%nmha
    b(LH_TEQ) = teq
    b(LH_DAM) = dam
    b(LH_SAVE) = o%ave_pred(1)
    b(LH_BAVE) = o%ave_pred(2)
    b(LH_DTM) = o%dtm
    b(LH_NDAYS) = real(o%ndays, dp)
    b(LH_FROST) = frost4
    b(LH_AFNOW) = 0.0_dp
    b(LH_PRES) = 0.0_dp
    if (atmos) then
      b(LH_AFNOW) = a%afnow
      b(LH_PRES) = a%p
    end if
    ! spec 9: slot 1000 of the layer extremes (0 unless N1 reaches it)
    b(LH_TSEP) = 0.0_dp
    b(LH_TBEP) = 0.0_dp
    if (n1 >= 1000) then
      b(LH_TSEP) = o%tmax(1000)
      b(LH_TBEP) = o%tmin(1000)
    end if
    w = lp3_width(np)
    k = lp3_off(np)
    do i = 1, nmha
      b(k + (i - 1)*w + 1:k + i*w) = o%lp3(:, i)
    end do
    w = lp4_width(np)
    k = lp4_off(np, nmha)
    do i = 1, min(o%ndays + 1, LP4_ROWS)
      b(k + (i - 1)*w + 1:k + i*w) = o%lp4(:, i)
    end do
    k = lp5_off(np, nmha)
    b(k + 1:k + n24) = o%ts_h
    k = lp6_off(np, nmha, n24)
    b(k + 1:k + n1) = o%tmax(1:n1)
    b(k + n1 + 1:k + 2*n1) = o%tmin(1:n1)
    ! spec 8: fort.76 at step (i N2)/N24
    k = f76_off(np, nmha, n24, n1)
    do i = 1, n24
      jj = max(1, (i*n2)/n24)
      b(k + 3*(i - 1) + 1) = hv(jj)
      b(k + 3*(i - 1) + 2) = (1.0_dp - alb)*qdir(jj)
      b(k + 3*(i - 1) + 3) = o%tp_h(i)
    end do
  end subroutine log_latitude

  !> End-of-season predictor of one series y(0..d) (physics 5.4).
  pure real(dp) function predict(y, x, ymin, ymax) result(v)
    real(dp), intent(in) :: y(0:), x, ymin, ymax
    real(dp) :: d1, d2, r
    integer :: k

    k = ubound(y, 1)
    if (x <= 0.0_dp .or. k == 0) then
      v = y(k)
    else if (k == 1) then
      v = y(k) + x*(y(k) - y(k - 1))
    else
      d2 = y(k) - y(k - 1)
      d1 = y(k - 1) - y(k - 2)
      if (d1 == 0.0_dp) then
        r = 1.0_dp
      else
        r = d2/d1
      end if
      if (r > 0.0_dp .and. r < 1.0_dp) then
        v = y(k) + (d2/((1.0_dp/r) - 1.0_dp))*(1.0_dp - r**x)
      else
        v = y(k) + x*d2
      end if
    end if
    v = min(ymax, max(v, ymin))
  end function predict

end module krc_season

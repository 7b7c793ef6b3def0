!> Writer of the KRC print file (../shared/spec/krc-formats.md section 2).
!>
!> Each routine appends one section to an open formatted unit given by the
!> caller, in the layout of KRC 3.6.5: the case banner and column guide
!> (2.1), change echo lines (2.2), page heading (2.3), the file lines and
!> the parameter echo (2.4), the layer table (2.5.1), the type-52 lines,
!> the RUN-CASE separator, the LP5 latitude summary (2.6), the timing lines
!> and the end-of-run lines (2.1 item 3).  Times and counters come from
!> the caller.
!>
!> The season-loop tables (LPGLOB, LP3, LP4, LP5, LP6; krc-print-extras
!> 1-4, 9, 10), fort.76 (8), the zone-table listing (5) and the IIB:TGHF
!> line (6) come from prt_seasons / prt_zone_listing / prt_layers, the
!> tables from the core's print log (krc_prtlog).  Left out: LPTAVE,
!> fort.77 and the blow-up dump (11, [code] only), the direct-access
!> (TDISK), TLATS (type-16, other work) and TFINE notices.
!>
!> Library code: no STOP, no module state.
module krc_prt
  use krc_constants, only: dp, sp, NFD, NID, NLD, NPORB, MAXN4, MSG_LEN, KRC_OK, PI_K, &
                           SEC_PER_DAY
  use krc_grid, only: grid_t, kt_poly
  use krc_season, only: case_grid
  use krc_t52, only: t52_sizes
  use krc_prtlog, only: plog_season, plog_lat, PL_HEAD, PS_SDEC, PS_DAU, PS_SUBS, PS_DJUL, &
                        PS_SUMF, PS_ALB, PS_TAUD, LH_TEQ, LH_DAM, LH_SAVE, LH_BAVE, LH_DTM, &
                        LH_NDAYS, LH_FROST, LH_AFNOW, LH_PRES, LH_TSEP, LH_TBEP, plog_layers, &
                        lp3_off, lp3_width, lp4_off, lp4_width, lp5_off, lp6_off, f76_off
  implicit none
  private

  public :: prt_debug, prt_new_t52, prt_banner, prt_change, prt_case_head, prt_layers, prt_t52_open, &
            prt_separator, prt_lp5, prt_fatal, file_wrote_text, prt_case_end, prt_t52_close, prt_run_end, &
            prt_tcard_error, prt_seasons, prt_zone_listing
  public :: KRC_VERSION, KOMMON
  public :: prt_one_start, prt_one_header, prt_one_result
  public :: prt_fine_setup, prt_fine_snapshot, prt_fine_end, prt_file_wrote, prt_tfine_sizes, &
            prt_tfine_none

  !> 12-character version field (formats 2.3, 3.2).
  character(len=12), parameter :: KRC_VERSION = 'KRCv3.6.5   '
  !> Words of the type-52 buffer in this tree (formats 3.2).
  integer, parameter :: KOMMON = 512000000

  character(len=8), parameter :: FD_LABEL(64) = [character(len=8) :: &
    'ALBEDO', 'EMISS', 'INERTIA', 'COND2', 'DENS2', 'PERIOD', 'SPECHEAT', 'DENSITY', &
    'CABR', 'AMW', 'ABRPHA', 'PTOTAL', 'FANON', 'TATM', 'TDEEP', 'SpHeat2', &
    'TAUD', 'DUSTA', 'TAURAT', 'TWILI', 'ARC2/PHT', 'ARC3', 'SLOPE', 'SLOAZI', &
    'TFROST', 'CFROST', 'AFROST', 'FEMIS', 'AF1', 'AF2', 'FROEXT', 'SatPrB', &
    'RLAY', 'FLAY', 'CONVF', 'DEPTH', 'DRSET', 'PhotF', 'GGT', 'DTMAX', &
    'DJUL', 'DELJUL', 'SolarDec', 'DAU', 'L_S', 'SOLCON', 'GRAV', 'Atm_Cp', &
    'ConUp0', 'ConUp1', 'ConUp2', 'ConUp3', 'ConLo0', 'ConLo1', 'ConLo2', 'ConLo3', &
    'SpHUp0', 'SpHUp1', 'SpHUp2', 'SpHUp3', 'SpHLo0', 'SpHLo1', 'SpHLo2', 'SpHLo3']
  character(len=8), parameter :: ID_LABEL(20) = [character(len=8) :: &
    '  N1', '  N2', '  N3', '  N4', '  N5', '  N24', '  IIB', '  IC2', &
    '  NRSET', '  NMHA', '  NRUN', '  JDISK', '  IDOWN', '  I14', '  I15', '  KPREF', &
    '  K4OUT', '  JBARE', '  NMOD', '  IDISK2']
  character(len=8), parameter :: LD_LABEL(20) = [character(len=8) :: &
    '  LP1', '  LP2', '  LP3', '  LP4', '  LP5', '  LP6', '  LPGLOB', '  LVFA', '  LVFT', &
    '  LKofT', '  LPORB', '  LKEY', '  LSC', '  LZONE', '  LOCAL', '  LD16', '  LD17', &
    '  Prt.78', '  Prt.79', '  L_ONE']

  !> Parameter echo label rows (formats 2.4).
  character(len=81), parameter :: ECHO_ROW(13) = [character(len=81) :: &
    '     ALBEDO     EMISS   INERTIA     COND2     DENS2    PERIOD  SpecHeat   DENSITY', &
    '       CABR       AMW    SatPrA    PTOTAL     FANON      TATM     TDEEP   SpHeat2', &
    '       TAUD     DUSTA    TAURAT     TWILI   ARC2=G0 ARC3=safe     SLOPE    SLOAZI', &
    '     TFROST    CFROST    AFROST     FEMIS       AF1       AF2    FROEXT    SatPrB', &
    '       RLAY      FLAY     CONVF     DEPTH     DRSET PhotoFunc       GGT     DTMAX', &
    '       DJUL    DELJUL  SOLARDEC       DAU     LsubS    SOLCON      GRAV    Atm_Cp', &
    '     ConUp0    ConUp1    ConUp2    ConUp3    ConLo0    ConLo1    ConLo2    ConLo3', &
    '     SphUp0    SphUp1    SphUp2    SphUp3    SphLo0    SphLo1    SphLo2    SphLo3', &
    '         N1        N2        N3        N4        N5       N24       IIB       IC2', &
    '      NRSET      NMHA      NRUN     JDISK     IDOWN    FlxP14 TUN/Flx15     KPREF', &
    '      K4OUT     JBARE     Notif    IDISK2', &
    '     LP1    LP2    LP3    LP4    LP5    LP6 LPGLOB   LVFA   LVFT  LKofT', &
    '   LPORB   LKEY    LSC  LZONE  LOCAL   LD16 LPTAVE  Prt78  Prt79  L_ONE']

  character(len=*), parameter :: DASHES = '-----------------------'
  character(len=*), parameter :: EQUALS = '============================='

contains

  !> Formats 2.1 item 1: the debug line.
  subroutine prt_debug(u, idb)
    integer, intent(in) :: u, idb(6)
    write (u, '(a,6i12)') ' IDB1:6=', idb
  end subroutine prt_debug

  !> Formats 2.1 item 2.1: two blank lines, banner with the number of cases
  !> already started, column guide.
  subroutine prt_banner(u, nstarted)
    integer, intent(in) :: u, nstarted
    write (u, '(a)') ''
    write (u, '(a)') ''
    write (u, '(a,a,i3,a,a)') ' '//EQUALS, ' New case', nstarted, ' ', EQUALS
    write (u, '(a)') ' --------- TYPE LOC  VALUE ----- ITEM  Comments'
  end subroutine prt_banner

  !> Formats 2.2: the line after the echo of an '8 5' line (printed after the
  !> closing lines of the type-52 file that line writes, as in m1.prt).
  subroutine prt_new_t52(u, name)
    integer, intent(in) :: u
    character(len=*), intent(in) :: name
    write (u, '(a,a)') ' New T52 file name= ', trim(name)
  end subroutine prt_new_t52

  !> Formats 2.2: echo of one change line.  t = -999 is a blank line;
  !> applied = false prints KRC's error 439.  vals(1:nvals): for types
  !> 12-15 the coefficients after the change; index/text: NLAD and stem for 16.
  subroutine prt_change(u, t, index, value, text, raw, applied, vals, nvals)
    integer, intent(in) :: u, t, index, nvals
    real(dp), intent(in) :: value, vals(*)
    character(len=*), intent(in) :: text, raw
    logical, intent(in) :: applied
    character(len=8) :: label

    if (.not. applied) then
      call prt_tcard_error(u, 439, raw)
      return
    end if
    select case (t)
    case (1:10)
      label = ' '
      if (t == 1 .and. index >= 1 .and. index <= 64) label = FD_LABEL(index)
      if (t == 2 .and. index >= 1 .and. index <= 20) label = ID_LABEL(index)
      if (t == 2 .and. index == 24) label = '  ID24=='
      if (t == 3 .and. index >= 1 .and. index <= 20) label = LD_LABEL(index)
      write (u, '(a,2i4,g12.4,2x,a8,1x,a)') ' Changed>>', t, index, value, label, trim(text)
      ! ' New T52 file name=' follows, after the closing lines of an open file (prt_new_t52)
    case (11)
      write (u, '(a,a)') ' TCARD:11 one-point ', trim(raw)
    case (12, 13)
      if (t == 12) then
        write (u, '(a,4g13.5)') ' TCARD: 8-Cond.', vals(1:min(4, nvals))
      else
        write (u, '(a,4g13.5)') ' TCARD: 8-SpHt.', vals(1:min(4, nvals))
      end if
      if (nvals > 4) write (u, '(16x,4g13.5)') vals(5:min(8, nvals))
    case (14)
      write (u, '(a,6g12.4)') ' TCARD: 12-eclip', vals(1:min(6, nvals))
      if (nvals > 6) write (u, '(16x,6g12.4)') vals(7:min(12, nvals))
    case (15)
      write (u, '(a,4g13.5)') ' TCARD: 7-fluxes', vals(1:min(4, nvals))
      if (nvals > 4) write (u, '(16x,3g13.5)') vals(5:min(7, nvals))
    case (16)
      write (u, '(a,i12,2x,a)') ' TCARD:16 Lat+name', index, trim(text)
    end select
  end subroutine prt_change

  !> Formats 2.2: ' TCARD: IO error: at <code>' and, for codes >= 436, the line.
  subroutine prt_tcard_error(u, code, raw)
    integer, intent(in) :: u, code
    character(len=*), intent(in) :: raw
    write (u, '(a,i4)') ' TCARD: IO error: at', code
    if (code >= 436) write (u, '(a,a)') '    RBUF=', trim(raw)
  end subroutine prt_tcard_error

  !> Page heading (2.3): title (84) and the version / RUN-CASE / time / page line.
  subroutine heading(u, title, nrun, ncase, runtime, page)
    integer, intent(in) :: u, nrun, ncase
    character(len=*), intent(in) :: title, runtime
    integer, intent(inout) :: page
    character(len=84) :: t84
    character(len=20) :: r20
    t84 = title
    r20 = runtime
    page = page + 1
    write (u, '(a)') t84
    write (u, '(a,a,i3,a,i2,3x,a,a,i3)') KRC_VERSION, ' RUN-CASE', nrun, '-', ncase, r20, &
      '  PAGE=', page
  end subroutine heading

  !> Formats 2.1 item 2.3 and 2.4: page heading, the Input/Print/Save file
  !> lines and the parameter echo of the case (fd(64), id(20), ld(20) at
  !> least; LD(18) is shown T as KRC does).  page is incremented.
  subroutine prt_case_head(u, title, nrun, ncase, runtime, page, input, print, save, fd, id, &
                           ld, n4, alat, elev)
    integer, intent(in) :: u, nrun, ncase, n4
    character(len=*), intent(in) :: title, runtime, input, print, save
    integer, intent(inout) :: page
    real(dp), intent(in) :: fd(*), alat(n4), elev(n4)
    integer, intent(in) :: id(*)
    logical, intent(in) :: ld(*)
    character(len=80) :: f80
    logical :: l20(20)
    integer :: i

    call heading(u, title, nrun, ncase, runtime, page)
    f80 = input
    write (u, '(a,a)') ' Input file: ', f80
    f80 = print
    write (u, '(a,a)') ' Print file: ', f80
    f80 = save
    write (u, '(a,a)') ' Save file: ', f80
    write (u, '(a)') trim(ECHO_ROW(1))
    write (u, '(1x,8f10.4)') fd(1:8)
    write (u, '(a)') trim(ECHO_ROW(2))
    write (u, '(1x,8f10.4)') fd(9:16)
    write (u, '(a)') trim(ECHO_ROW(3))
    write (u, '(1x,3f10.4,3f10.2,2f10.1)') fd(17:24)
    write (u, '(a)') trim(ECHO_ROW(4))
    write (u, '(1x,f10.4,f10.1,2f10.4,f10.5,3f10.4)') fd(25:32)
    write (u, '(a)') trim(ECHO_ROW(5))
    write (u, '(1x,8f10.4)') fd(33:40)
    write (u, '(a)') trim(ECHO_ROW(6))
    write (u, '(1x,f10.3,2f10.4,f10.5,4f10.4)') fd(41:48)
    write (u, '(a)') trim(ECHO_ROW(7))
    write (u, '(1x,8f10.4)') fd(49:56)
    write (u, '(a)') trim(ECHO_ROW(8))
    write (u, '(1x,8f10.4)') fd(57:64)
    write (u, '(a)') trim(ECHO_ROW(9))
    write (u, '(1x,8i10)') id(1:8)
    write (u, '(a)') trim(ECHO_ROW(10))
    write (u, '(1x,8i10)') id(9:16)
    write (u, '(a)') trim(ECHO_ROW(11))
    write (u, '(1x,4i10)') id(17:20)
    l20 = ld(1:20)
    l20(18) = .true.
    write (u, '(a)') trim(ECHO_ROW(12))
    write (u, '(1x,10l7)') l20(1:10)
    write (u, '(a)') trim(ECHO_ROW(13))
    write (u, '(1x,10l7)') l20(11:20)
    write (u, '(a)') ''
    write (u, '(a)') ' Latitudes: '
    write (u, '(1x,10f7.2)') (alat(i), i=1, n4)
    write (u, '(a)') ''
    write (u, '(a)') ' Elevations:'
    write (u, '(1x,10f7.2)') (elev(i), i=1, n4)
  end subroutine prt_case_head

  !> Formats 2.1 item 2.4-2.5 and 2.5.1: the eclipse/planetary-heat line
  !> (when parc1 or parw1 > 0), then the layer table block from the grid of
  !> the case (krc_season::case_grid).  zone(4, nzone).
  !> zrows(4, :): the zone-table rows as re-read for the listing
  !> (krc-print-extras 5; absent: no listing).
  subroutine prt_layers(u, fd, id, ld, porb, nzone, zone, parc1, parw1, status, message, zrows)
    integer, intent(in) :: u, nzone
    real(dp), intent(in) :: fd(NFD), porb(NPORB), zone(:, :), parc1, parw1
    integer, intent(in) :: id(NID)
    logical, intent(in) :: ld(NLD)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp), intent(in), optional :: zrows(:, :)
    type(grid_t) :: g
    integer :: n, j, ic3, ik(4), i
    real(dp), allocatable :: dsc(:), cen(:), tot(:)
    real(dp) :: t, ku, cu, kl, cl
    logical :: lower

    if (parc1 > 0.0_dp .or. parw1 > 0.0_dp) write (u, '(a,2f10.3)') ' Eclipse or PlanHeat on', &
      parc1, parw1
    if (present(zrows) .and. ld(14) .and. nzone > 0) then
      call prt_zone_listing(u, zrows, size(zrows, 2), fd, id, ld, porb, nzone, zone, status, &
                            message)
      if (status /= KRC_OK) return
    end if
    call case_grid(fd, id, ld, porb, nzone, zone, g, status, message)
    if (status /= KRC_OK) return
    n = g%n1
    ic3 = min(g%ic2, n)
    ! IK1:4 as the 3.6.5 prints show them (not specified further)
    if (.not. g%lkoft) then
      ik = [1, 0, 1, 0]
    else if (ic3 >= n) then
      ik = [1, n + 1, n + 2, 0]
    else
      ik = [1, ic3 - 1, ic3, n - ic3 + 2]
    end if
    write (u, '(a,2l3,5i6)') 'TDAY: LZONE,LALCON,IC3, IK1:4=', ld(14), .not. g%lkoft, ic3, ik
    if (g%lkoft) then
      write (u, '(a,4g13.5)') ' CCKU/L=', g%cck(:, 1)
      write (u, '(8x,4g13.5)') g%cck(:, 2)
      write (u, '(a,4g13.5)') ' CCPU/L=', g%ccp(:, 1)
      write (u, '(8x,4g13.5)') g%ccp(:, 2)
      write (u, '(a,f7.2)') 'T-global=', g%tg
      write (u, '(a)') '    T     cond_SpHeat_UPPER_iner_Diffusivity    '// &
        'cond_SpHeat_LOWER_iner_Diffusivity'
      do i = 0, 19
        t = 130.0_dp + 10.0_dp*real(i, dp)
        ku = kt_poly(g%cck(:, 1), t); cu = kt_poly(g%ccp(:, 1), t)
        kl = kt_poly(g%cck(:, 2), t); cl = kt_poly(g%ccp(:, 2), t)
        write (u, '(f7.1,f9.5,2f8.2,e12.5,f10.5,2f8.2,e12.5)') t, ku, cu, &
          sqrt(ku*fd(8)*cu), ku/(fd(8)*cu), kl, cl, sqrt(kl*fd(5)*cl), kl/(fd(5)*cl)
      end do
      write (u, '(a)') '           ConUp     ConLo     SphUp     SphLo'
      write (u, '(a,2f10.5,2f10.2)') '  Input', fd(3)*fd(3)/(fd(8)*fd(7)), fd(4), fd(7), fd(16)
      write (u, '(a,2f10.5,2f10.2)') '  @Toff', g%cck(1, 1), g%cck(1, 2), g%ccp(1, 1), g%ccp(1, 2)
      write (u, '(a,2f10.5,2f10.2)') '  @Tglb', kt_poly(g%cck(:, 1), g%tg), &
        kt_poly(g%cck(:, 2), g%tg), kt_poly(g%ccp(:, 1), g%tg), kt_poly(g%ccp(:, 2), g%tg)
    end if
    if (g%thickened) write (u, *) 'Increased lower layers from safety of', g%s_thick
    write (u, *) 'Time-doubling fraction:', real(g%tdfrac, sp)
    if (id(7) > 0) then
      ! krc-print-extras 6: thickness of the last layer plus the base node
      write (u, '(a,i7,3g12.5)') 'IIB:TGHF=', id(7), g%b(n) + g%b(n + 1), g%k(n), &
        0.001_dp*real(id(7), dp)*(g%b(n) + g%b(n + 1))/(2.0_dp*g%k(n))
    end if
    call material(u, g, 2)
    lower = .not. ld(14) .and. g%ic2 >= 3 .and. g%ic2 <= n
    if (lower) then
      write (u, '(a,i4,a,f12.4,a)') ' Beginning at layer', g%ic2, '  At', &
        g%z(g%ic2) - g%b(g%ic2)/2.0_dp, ' m.'
      call material(u, g, g%ic2)
    end if
    ! thickness and centre depth in local skin depths, column mass
    dsc = g%b(1:n)/g%dscale(1:n)
    allocate (cen(n), tot(n))
    cen(1) = -g%b(1)/g%dscale(1)/2.0_dp
    tot(1) = 0.0_dp
    do j = 2, n
      cen(j) = cen(j - 1) + (dsc(j - 1) + dsc(j))/2.0_dp
      tot(j) = tot(j - 1) + g%rho(j)*g%b(j)
    end do
    write (u, '(a)') '         ___THICKNESS____    __CENTER_DEPTH__  Conductiv. Density '// &
      'Sp.Heat     Total Converg.'
    write (u, '(a)') ' LAYER  D_scale     meter   D_scale     meter      W/m-K   kg/m^3   '// &
      'J/kg     kg/m^2  factor'
    do j = 1, n
      if (j == 1) then
        t = 0.0_dp
      else
        t = g%s(j)/real(2**g%lev(j), dp)
      end if
      write (u, '(i5,4f10.4,g11.4,f9.2,f8.2,f10.3,f8.3)') j, dsc(j), g%b(j), cen(j), g%z(j), &
        g%k(j), g%rho(j), g%c(j), tot(j), t
    end do
    write (u, '(a,18x,2f10.4)') ' Bottom', cen(n) + dsc(n)/2.0_dp, g%z(n) + g%b(n)/2.0_dp
    write (u, '(a,15i3)') ' Lower layer of time doubling: ', g%glast(0:g%ngroups - 1)
  end subroutine prt_layers

  !> Material line of layer j (2.5.1): rho*c, diffusivity, skin depth, inertia.
  subroutine material(u, g, j)
    integer, intent(in) :: u, j
    type(grid_t), intent(in) :: g
    real(dp) :: rc, kap
    rc = g%rho(j)*g%c(j)
    kap = g%k(j)/rc
    write (u, '(1pe10.3,a,e12.3,a,0pf12.4,a,f12.2,a)') rc, '=Dens*Cp', kap, '=Diffu.', &
      sqrt(kap*g%ps/PI_K), '=Scale', sqrt(g%k(j)*rc), '=Inertia'
  end subroutine material

  !> The IDX/JJJ line of a type-52 file (2.1 item 2.6).
  subroutine jjj_line(u, n24, n4, nsout, ncase)
    integer, intent(in) :: u, n24, n4, nsout, ncase
    integer :: mm3, ndx, kase
    call t52_sizes(n24, n4, nsout, mm3, ndx, kase)
    write (u, '(a,i2,a,10i5)') ' IDX=', 4, '  JJJ=', 5, n24, 7, n4, ndx + nsout, ncase, 0, 5, 25, 0
  end subroutine jjj_line

  !> Formats 2.1 item 2.6: lines printed when a type-52 file is opened.
  subroutine prt_t52_open(u, n24, n4, nsout)
    integer, intent(in) :: u, n24, n4, nsout
    integer :: mm3, ndx, kase, mase
    call t52_sizes(n24, n4, nsout, mm3, ndx, kase)
    mase = KOMMON/kase
    call jjj_line(u, n24, n4, nsout, 0)
    write (u, '(a,6i12)') ' MMM=', n24, n24*7, mm3, mm3*nsout, 0, 0
    write (u, '(a,2i12)') ' KOMMON,KASE=', KOMMON, kase
    write (u, *) 'RASE,MASE,MTOT=', real(KOMMON, sp)/real(kase, sp), mase, mase*kase
  end subroutine prt_t52_open

  !> Formats 2.1 item 2.8: the RUN-CASE separator.
  subroutine prt_separator(u, nrun, ncase)
    integer, intent(in) :: u, nrun, ncase
    write (u, '(a,a,2i6,a)') ' '//DASHES//' ', ' RUN-CASE', nrun, ncase, ' '//DASHES//' '
  end subroutine prt_separator

  !> Formats 2.6 LP5 for one season from type-52 items only (kept for the
  !> _krcio krc_prt_lp5 routine): heading, constants, surface temperature vs
  !> latitude and hour, the DELTA T. and NUM DAYS rows.  The print file's
  !> LP5 with all nine rows is written by prt_seasons.
  !> cst: ALB, EMIS, INERTIA, SDEC, DAU, Ls, DJU5, FD(I14), FD(I15).
  subroutine prt_lp5(u, title, nrun, ncase, runtime, page, cst, j5, n24, n4, alat, ts, dtm, ndays)
    integer, intent(in) :: u, nrun, ncase, j5, n24, n4, ndays(n4)
    character(len=*), intent(in) :: title, runtime
    integer, intent(inout) :: page
    real(dp), intent(in) :: cst(9), alat(n4), ts(n24, n4), dtm(n4)
    integer :: k

    call heading(u, title, nrun, ncase, runtime, page)
    call constants_pair(u, cst, j5)
    write (u, '(a)') ' SURFACE TEMP VS LATITUDE AND LOCAL HOUR ANGLE'
    write (u, '(a,*(f6.1))') ' LATITUDE =', alat
    do k = 1, n24
      if (mod(k, 6) == 1) write (u, '(a)') ''
      write (u, '(5x,i4,a,*(f6.1))') k, 'HR', ts(k, :)
    end do
    write (u, '(a,*(f6.2))') ' DELTA T. =', dtm
    write (u, '(a,*(i6))') ' NUM DAYS =', ndays
  end subroutine prt_lp5

  !> The constants pair after the LP3, LP5 and LP6 headings (krc-print-extras
  !> 1.3).  cst: ALB, EMIS, INERTIA, SDEC, DAU, Ls, DJU5, FD(I14), FD(I15).
  subroutine constants_pair(u, cst, j5)
    integer, intent(in) :: u, j5
    real(dp), intent(in) :: cst(9)
    write (u, '(a)') '     ALBEDO     EMISS   INERTIA SOLAR DEC       DAU       L_S '// &
      'JULIAN DAY    J5   two from KRCCOM'
    write (u, '(1x,3f10.4,f10.2,f10.5,2f10.2,i7,2x,2g10.4)') cst(1:7), j5, cst(8:9)
  end subroutine constants_pair

  !> The season-loop tables of a case from its print log (krc_prtlog),
  !> krc-print-extras 1.2: per season J5 = 1..N5 the LPGLOB line (ld(7)),
  !> per latitude the LP3 table (ld(3)), the LP4 block (ld(4)), the fort.76
  !> block on unit u76 (ld(16) and w76; otherwise not written) and, for latitude nlad
  !> of the last season, the line tlats (when not blank: the type-16 notice);
  !> then LP5 (ld(5)) and LP6 (ld(6)).  fd: the parameters of the case (FD
  !> of the common after the run: bookkeeping words 65-96); i14, i15: ID(14),
  !> ID(15).  page advances with every heading.
  subroutine prt_seasons(u, u76, w76, title, nrun, ncase, runtime, page, fd, i14, i15, ld, n4, &
                         alat, plog, nlad, tlats, only)
    integer, intent(in) :: u, u76, nrun, ncase, i14, i15, n4, nlad
    !> only this season's tables (the driver interleaves per-season lines)
    integer, intent(in), optional :: only
    logical, intent(in) :: w76
    character(len=*), intent(in) :: title, runtime, tlats
    integer, intent(inout) :: page
    real(dp), intent(in) :: fd(NFD), alat(n4), plog(:)
    logical, intent(in) :: ld(NLD)
    integer :: n1, n5, n24, nmha, np, j5, j4, k0, kl, k, i, w, idx(12), nd
    real(dp) :: cst(9), v(n4)
    real(dp), allocatable :: z(:)

    n1 = nint(plog(1))
    n5 = nint(plog(3))
    n24 = nint(plog(4))
    nmha = nint(plog(5))
    np = nint(plog(6))
    z = plog(7:6 + min(np, PL_HEAD - 6))
    if (nint(plog(2)) /= n4) return
    call plog_layers(n1, idx, np)
    do j5 = 1, n5
      if (present(only)) then
        if (j5 /= only) cycle
      end if
      k0 = plog_season(n1, n4, n24, nmha, j5)
      cst = [plog(k0 + PS_ALB), fd(2), fd(3), plog(k0 + PS_SDEC), plog(k0 + PS_DAU), &
             plog(k0 + PS_SUBS), plog(k0 + PS_DJUL), fd_shown(i14), fd_shown(i15)]
      ! 2: LPGLOB
      if (ld(7)) then
        call heading(u, title, nrun, ncase, runtime, page)
        write (u, '(a,f10.4)') ' GLOBAL AVERAGE FROST; kg/m^2 =', plog(k0 + PS_SUMF)
      end if
      do j4 = 1, n4
        kl = plog_lat(n1, n4, n24, nmha, j5, j4)
        nd = nint(plog(kl + LH_NDAYS))
        if (ld(3)) then
          ! 3: LP3 hourly table
          call heading(u, title, nrun, ncase, runtime, page)
          call constants_pair(u, cst, j5)
          write (u, '(a,f6.1,a,f6.2,a,f6.2,a,f7.2)') '   LAT=', alat(j4), '  SOLAR DEC=', &
            cst(4), '   HALF DAY=', plog(kl + LH_DAM), ' DEGREES   EQUILIBRIUM TEMP=', &
            plog(kl + LH_TEQ)
          write (u, '(a)') ''
          write (u, '(a,*(f8.3))') '    HOUR  FROST  X = 0.', z
          w = lp3_width(np)
          k = kl + lp3_off(np)
          do i = 1, nmha
            write (u, '(i7,f8.3,(12f8.1))') i, plog(k + (i - 1)*w + 1), &
              plog(k + (i - 1)*w + 2:k + i*w)
          end do
        end if
        if (ld(4)) then
          ! 4: LP4 convergence table
          write (u, '(a,f6.1,a,f6.1,a,f7.4,a,i3,a,f9.4)') ' SURF AVE =', plog(kl + LH_SAVE), &
            '  BOTM AVE =', plog(kl + LH_BAVE), '  DELTA T =', plog(kl + LH_DTM), &
            '  NUM DAYS =', nd, '  FROST =', plog(kl + LH_FROST)
          write (u, '(a)') ' AT START OF DAY'
          write (u, '(a,*(i8))') ' DAY  DTMJ SUR_AVE BOT_AVE     1', idx(1:np)
          w = lp4_width(np)
          k = kl + lp4_off(np, nmha)
          do i = 1, nd + 1
            write (u, '(1x,i3,f6.2,(14f8.1))') i, plog(k + (i - 1)*w + 1), &
              plog(k + (i - 1)*w + 2:k + i*w)
          end do
        end if
        if (ld(16) .and. w76) then
          ! 8: fort.76
          write (u76, '(a)') ''
          write (u76, '(a)') '      Ls      Lt       A       I    TauD       P'
          write (u76, '(2f8.2,f8.3,f8.1,f8.3,f8.2)') cst(6), alat(j4), cst(1), fd(3), &
            plog(k0 + PS_TAUD), plog(kl + LH_PRES)
          write (u76, '(a)') ''
          write (u76, '(a)') '   Hour      T_K  IR_Inc    Solar T_Planet'
          k = kl + f76_off(np, nmha, n24, n1)
          do i = 1, n24
            write (u76, '(f7.2,f9.3,f8.3,f9.3,f9.3)') 24.0_dp*real(i, dp)/real(n24, dp), &
              plog(kl + lp5_off(np, nmha) + i), plog(k + 3*(i - 1) + 1:k + 3*i)
          end do
        end if
        if (j5 == n5 .and. j4 == nlad .and. len_trim(tlats) > 0) write (u, '(a)') tlats
      end do
      if (ld(5)) then
        ! 9: LP5 latitude summary
        call heading(u, title, nrun, ncase, runtime, page)
        call constants_pair(u, cst, j5)
        write (u, '(a)') ' SURFACE TEMP VS LATITUDE AND LOCAL HOUR ANGLE'
        write (u, '(a,*(f6.1))') ' LATITUDE =', alat
        do i = 1, n24
          if (mod(i, 6) == 1) write (u, '(a)') ''
          do j4 = 1, n4
            v(j4) = plog(plog_lat(n1, n4, n24, nmha, j5, j4) + lp5_off(np, nmha) + i)
          end do
          write (u, '(5x,i4,a,*(f6.1))') i, 'HR', v
        end do
        write (u, '(a,*(f6.1))') ' SURF AVE =', lat_word(LH_SAVE)
        write (u, '(a,*(f6.1))') ' BOTM AVE =', lat_word(LH_BAVE)
        write (u, '(a,*(f6.1))') ' GM FROST =', lat_word(LH_FROST)
        write (u, '(a,*(f6.3))') ' ALB/dayF =', lat_word(LH_AFNOW)
        write (u, '(a,*(f6.1))') ' T. EQUIL =', lat_word(LH_TEQ)
        write (u, '(a,*(f6.2))') ' DELTA T. =', lat_word(LH_DTM)
        write (u, '(a,*(i6))') ' NUM DAYS =', nint(lat_word(LH_NDAYS))
        write (u, '(a,*(f6.2))') ' TS EPRED =', lat_word(LH_TSEP)
        write (u, '(a,*(f6.2))') ' TB EPRED =', lat_word(LH_TBEP)
      end if
      if (ld(6)) then
        ! 10: LP6 layer extremes
        call heading(u, title, nrun, ncase, runtime, page)
        call constants_pair(u, cst, j5)
        write (u, '(a)') '0MAXIMUM TEMPERATURE'
        call extremes(0)
        write (u, '(a)') ' MINIMUM TEMPERATURE'
        call extremes(n1)
      end if
    end do

  contains

    !> One word of the latitude heads of season j5, per latitude.
    function lat_word(iw) result(x)
      integer, intent(in) :: iw
      real(dp) :: x(n4)
      integer :: jj
      do jj = 1, n4
        x(jj) = plog(plog_lat(n1, n4, n24, nmha, j5, jj) + iw)
      end do
    end function lat_word

    !> The LP6 rows of the maxima (shift 0) or minima (shift N1).
    subroutine extremes(shift)
      integer, intent(in) :: shift
      integer :: jl, jj
      write (u, '(a,*(f6.1))') ' LAYER LAT', alat
      do jl = 1, n1
        do jj = 1, n4
          v(jj) = plog(plog_lat(n1, n4, n24, nmha, j5, jj) + lp6_off(np, nmha, n24) + shift + jl)
        end do
        write (u, '(1x,i5,4x,*(f6.1))') jl, v
      end do
    end subroutine extremes

    !> FD(i) as the common holds it at the print (1.3): the season's SDEC,
    !> DAU, Ls in 43-45, 1.0e308 in 65, SKYFAC FD(77) for i > 96.
    real(dp) function fd_shown(i)
      integer, intent(in) :: i
      select case (i)
      case (43:45)
        fd_shown = plog(k0 + PS_SDEC + i - 43)
      case (65)
        fd_shown = 1.0e308_dp
      case (1:42, 46:64, 66:96)
        fd_shown = fd(i)
      case default
        fd_shown = fd(77)
      end select
    end function fd_shown
  end subroutine prt_seasons

  !> Zone-table listing (krc-print-extras 5): the rows as read (rows(4, nrow),
  !> terminator included), TGLOB, then one line per physical layer of the grid
  !> of the case.
  subroutine prt_zone_listing(u, rows, nrow, fd, id, ld, porb, nzone, zone, status, message)
    integer, intent(in) :: u, nrow, nzone
    real(dp), intent(in) :: rows(:, :), fd(NFD), porb(NPORB), zone(:, :)
    integer, intent(in) :: id(NID)
    logical, intent(in) :: ld(NLD)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(grid_t) :: g
    integer :: i, j, iz, nin
    real(dp) :: sja, tglob, dsk, dm, kap

    write (u, *) ' Lines as read by READZONE'
    do i = 1, nrow
      write (u, '(i3,f9.4,f9.2,f9.4,f9.2)') i, rows(:, i)
    end do
    sja = 0.0_dp
    if (ld(11)) sja = porb(7)
    tglob = (fd(46)*(1.0_dp - fd(1))/(2.0_dp*PI_K*(sja*sja)*fd(2)*5.670367e-8_dp))**0.25_dp
    write (u, '(a,f8.2)') 'Zone Values are Tcon or at Tglob=', tglob
    write (u, '(a)') ' Zon I Lay   D___bottom___m thick_m Conductiv Density SphHeat  '// &
      'Diffusive  Inertia'
    call case_grid(fd, id, ld, porb, nzone, zone, g, status, message)
    if (status /= KRC_OK) return
    dsk = 0.0_dp
    dm = 0.0_dp
    nin = 0
    do j = 2, g%n1
      iz = g%zid(j)
      if (j == 2) then
        nin = 1
      else if (iz /= g%zid(j - 1)) then
        nin = 1
      else
        nin = nin + 1
      end if
      dsk = dsk + g%b(j)/g%dscale(j)
      dm = dm + g%b(j)
      kap = g%k(j)/(g%rho(j)*g%c(j))
      write (u, '(3i3,f9.3,f9.4,f8.4,g11.4,f7.1,f8.2,g11.4,f9.2)') iz, nin, j, dsk, dm, g%b(j), &
        g%k(j), g%rho(j), g%c(j), kap, sqrt((g%k(j)*g%rho(j))*g%c(j))
    end do
  end subroutine prt_zone_listing

  !> Formats 2.1: a case that failed.
  subroutine prt_fatal(u, code)
    integer, intent(in) :: u, code
    write (u, '(a,i6,a)') ' Case had FATAL error=', code, ' Will try next case'
  end subroutine prt_fatal

  !> Formats 2.1 item 2.10: seconds at the end of the last season and the
  !> case's times (total, user, system).
  subroutine prt_case_end(u, secs, j5, n5, ncase, times, ff_closed)
    integer, intent(in) :: u, j5, n5, ncase
    real(dp), intent(in) :: secs, times(3)
    !> a far-field file written by the case: K4OUT and its last record (farfield-climate A2)
    integer, intent(in), optional :: ff_closed(2)
    write (u, '(f10.3,a,i5,a,i5)') secs, ' seconds at end of season', j5, ' of', n5
    if (present(ff_closed)) write (u, *) 'Closed direct access file. Type=', ff_closed
    write (u, '(a,i3,a,3f10.4)') ' Case', ncase, '  DTIME: total, user, system=', times
  end subroutine prt_case_end

  !> Lines printed when a type-52 file is written (2.1 item 3).
  subroutine prt_t52_close(u, n24, n4, nsout, ncase, iret, name)
    integer, intent(in) :: u, n24, n4, nsout, ncase, iret
    character(len=*), intent(in) :: name
    call jjj_line(u, n24, n4, nsout, ncase)
    write (u, '(a,i13)') ' Wrote bin5 file type 52: iret=', iret
    write (u, '(a,a)') '   File name=', trim(name)
  end subroutine prt_t52_close

  !> Formats 2.1 item 3: end of run.  When t52_open, the closing lines of
  !> the type-52 file (prt_t52_close) are printed between the KRC@180 line
  !> and the total time.
  subroutine prt_run_end(u, t52_open, n24, n4, nsout, ncase, iret, name, total, elog, closing)
    integer, intent(in) :: u, n24, n4, nsout, ncase, iret
    logical, intent(in) :: t52_open
    character(len=*), intent(in) :: name, elog
    real(dp), intent(in) :: total
    !> lines of the far-field files closed at the end of the run (farfield-climate A1)
    character(len=*), intent(in), optional :: closing(:)
    character(len=40) :: e40
    integer :: k
    write (u, '(a)') ''
    write (u, '(a)') ''
    write (u, '(a)') '     END OF DATA ON INPUT UNIT'
    write (u, '(a,2i12)') ' KRC@180 IRL,IRC=', 1, 5
    if (present(closing)) then
      do k = 1, size(closing)
        write (u, '(a)') trim(closing(k))
      end do
    end if
    if (t52_open) call prt_t52_close(u, n24, n4, nsout, ncase, iret, name)
    write (u, '(a,f11.3)') '      END KRC   Total time [s]=', total
    e40 = elog
    write (u, '(a,a)') ' Elog= ', e40
  end subroutine prt_run_end

  !> One-point mode (krc-onepoint 5.1 items 2-3): the start line and the
  !> title of the one-point file (a blank, then its 80 columns).
  subroutine prt_one_start(u, title)
    integer, intent(in) :: u
    character(len=80), intent(in) :: title
    write (u, '(a)') ' ---- Start of one-point mode ----'
    write (u, '(a,a)') ' ', title
  end subroutine prt_one_start

  !> The column header before the first result of each one-point file (5.1).
  subroutine prt_one_header(u)
    integer, intent(in) :: u
    write (u, '(a)') 'C_END  Ls   Lat  Hour Elev  Alb Inerti Opac Slop Azim  TkSur  TbPla Comment'
  end subroutine prt_one_header

  !> The result line of a request (krc-onepoint 5.2): SUBS, ALAT(1), HOURO,
  !> ELEV(1), ALB, SKRC, TAUD, SLOPE, SLOAZI, T_s, T_p (v(1:11)) and the
  !> comment (columns 53-72 of the request).
  subroutine prt_one_result(u, v, comment)
    integer, intent(in) :: u
    real(dp), intent(in) :: v(11)
    character(len=20), intent(in) :: comment
    write (u, '(a,2f6.1,f6.2,f5.1,f5.2,f7.1,f5.2,f5.1,f5.0,2f7.2,a)') ' 11', v, comment
  end subroutine prt_one_result

  ! --- Eclipses (krc-eclipse.md 6.1) and the type-16 notice (print-extras 7)

  !> Rare eclipse, at the end of the case set-up: the fine layer count and
  !> lowest centre, the fine group bottoms, and the -778 line (case, the
  !> leftover season / latitude / sol counters, J1, J2 of the storage plan,
  !> N_f).
  subroutine prt_fine_setup(u, nf, zlow, glast, ncase, nseason, nlat, nsol, j1, j2)
    integer, intent(in) :: u, nf, glast(:), ncase, nseason, nlat, nsol, j1, j2
    real(dp), intent(in) :: zlow
    write (u, '(a,i5,f10.4)') 'TFINE layers: Num,lowest center[m]', nf, zlow
    write (u, '(a,15i3)') ' TFINE low lay of time doubli: ', glast
    write (u, '(8i7)') -778, ncase, nseason, nlat, nsol, j1, j2, nf
  end subroutine prt_fine_setup

  !> Rare eclipse, last season, at the snapshot of latitude j: the -777 line.
  subroutine prt_fine_snapshot(u, ncase, j5, j, nsol, j3, j4, j9, nf, stored)
    integer, intent(in) :: u, ncase, j5, j, nsol, j3, j4, j9, nf
    logical, intent(in) :: stored
    write (u, '(9i7,l4)') -777, ncase, j5, j, nsol, j3, j4, j9, nf, stored
  end subroutine prt_fine_snapshot

  !> Rare eclipse, at the hand-back (step J9 + 1) of latitude j: delta T and
  !> delta E of layer J_low.
  subroutine prt_fine_end(u, j, jj, jlow, dt, de)
    integer, intent(in) :: u, j, jj, jlow
    real(dp), intent(in) :: dt, de
    write (u, '(a,i4,i5,i4,2g15.5)') 'End eclipse: J4,JJ,KG,delT,delE', j, jj, jlow, dt, de
  end subroutine prt_fine_end

  !> ' TLATS wrote <name>  iret= <code>' (what = 'TLATS', print-extras 7) or
  !> the same for 'TFINE' (krc-eclipse 6.1): the name in 80 columns, the code
  !> in 12.
  subroutine prt_file_wrote(u, what, name, iret)
    integer, intent(in) :: u, iret
    character(len=*), intent(in) :: what, name
    write (u, '(a)') file_wrote_text(what, name, iret)
  end subroutine prt_file_wrote

  !> The text of that line (the TLATS notice goes inside the season tables).
  function file_wrote_text(what, name, iret) result(text)
    character(len=*), intent(in) :: what, name
    integer, intent(in) :: iret
    character(len=:), allocatable :: text
    character(len=80) :: n80
    character(len=12) :: r
    n80 = name
    write (r, '(i12)') iret
    text = ' '//what//' wrote '//n80//'  iret= '//r
  end function file_wrote_text

  !> The size words of the tfine bin5 file (krc-eclipse 6.1).
  subroutine prt_tfine_sizes(u, ncase, jjj)
    integer, intent(in) :: u, ncase, jjj(10)
    write (u, '(a,i2,a,10i5)') 'TFINE: Case=', ncase, '  JJJ=', jjj
  end subroutine prt_tfine_sizes

  !> A rare eclipse with no eclipse at any latitude (krc-eclipse 6.1).
  subroutine prt_tfine_none(u)
    integer, intent(in) :: u
    write (u, '(a)') ' TFINE: No latitudes had eclipses'
  end subroutine prt_tfine_none

end module krc_prt

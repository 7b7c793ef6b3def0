!> Eclipses of a satellite by its primary (or of a planet by a satellite's
!> shadow) and the primary's infrared and reflected-light heat load.
!>
!> Spec: ../shared/spec/krc-eclipse.md: section 2 (eclipse factor profile),
!> 3 (daily eclipse: the solar flux of each step scaled by the factor), 4
!> (planetary load), 5 (rare eclipse: the fine sub-simulation on the last
!> sol of the last season), 7 (what is refused).
!>
!> Reentrant: every routine works on its arguments only; the fine
!> sub-simulation allocates its own work arrays.  Errors come back as a
!> status code and a message naming the parameter (no STOP).
module krc_eclipse
  use krc_constants, only: dp, sp, sum_in_order, PI_K, R_K, SIGMA_SB, MAXBOT, MAXN2, KRC_OK, KRC_E_INPUT, &
                           KRC_E_BLOWUP, KRC_E_UNSUPPORTED, MSG_LEN
  use krc_insolation, only: photo_t, photo_factor, target_normal
  use krc_surface, only: surface_newton
  implicit none
  private

  public :: ECL_OFF, ECL_DAILY, ECL_RARE, eclipse_mode, eclipse_factor_k, eclipse_profile, &
            planet_load, surface_normal, direct_albedo, fine_t, fine_setup, fine_run, ecl_lat_t, &
            ecl_case_t, eclipse_prepare, lat_text, eclipse_latitude, eclipse_records_check

  !> Eclipse styles selected by PARC(1) (section 1.3).
  integer, parameter :: ECL_OFF = 0, ECL_DAILY = 1, ECL_RARE = 2
  !> Constants of the profile routine only (section 2.1).
  real(dp), parameter :: PI_E = 3.1415926536_dp
  real(dp), parameter :: AU_KM = 149597870.7_dp, RSUN_KM = 695700.0_dp, DAY_S = 86400.0_dp
  !> Largest fine time factor K^2 (section 7) and fine layer count (5.2).
  integer, parameter :: MAX_FINE_F = 49, MAX_FINE_LAYERS = 99

  !> The fine layer grid of a rare eclipse (section 5.2).  Layers
  !> 1 (virtual) .. nf, bottom node nf + 1.
  type :: fine_t
    integer :: k = 0, f = 0       !< refinement K and time factor F = K^2
    integer :: nf = 0             !< fine layers including the virtual one
    integer :: jlow = 0           !< deepest coarse layer reproduced
    integer :: kdbl = 0           !< number of time doublings
    integer :: glast(-1:MAXBOT) = 0  !< last layer of each doubling group
    real(dp) :: rf = 0, dtf = 0
    real(dp) :: smin = 0          !< minimum fine safety factor
    integer :: lmin = 0           !< its layer
    real(dp), allocatable :: b(:), z(:), k_(:), rho(:), c(:), s(:), f1(:), f2(:), f3(:)
  end type fine_t

  !> What one latitude of one season needs from the eclipse and the load
  !> inside the day loop (passed to krc_season's latitude_season).
  type :: ecl_lat_t
    logical :: load = .false.     !< planetary load on (PARW(1) > 0)
    real(dp) :: emis = 0, as = 0  !< EMIS and the spherical albedo a_s
    real(dp), allocatable :: pir(:), pvis(:)   !< P_IR,n and P_vis,n (section 4.1)
    logical :: rare = .false.     !< rare style: the day loop ends after the sol flagged last
    logical :: fine = .false.     !< run the fine sub-simulation on the last sol
    integer :: j3 = 0, j4 = 0     !< eclipse window of this latitude (section 2.2)
    real(dp) :: parc8 = 0         !< sign: base node treatment (section 5.4)
    real(dp), allocatable :: fac(:)   !< rare factors, (J4 + 1 - J3)*F values
    real(dp), allocatable :: an(:), qdir(:), qdif(:), g(:)   !< coarse forcing (section 5.5)
    real(dp) :: skyfac = 1, ggt = 0, tblow = 0
    type(fine_t) :: fs            !< the case's fine grid (a copy)
  end type ecl_lat_t

  !> Case-level eclipse and load set-up (eclipse_prepare).
  type :: ecl_case_t
    integer :: mode = ECL_OFF
    logical :: load = .false.
    real(dp) :: parc(12) = 0, parw(7) = 0
    real(dp), allocatable :: fac(:, :)          !< daily factors (N2, N4)
    real(dp), allocatable :: pir(:, :), pvis(:, :)   !< planetary load (N2, N4)
    integer, allocatable :: j3(:), j4(:)        !< window of each latitude
    type(fine_t) :: fs                          !< rare: the fine grid
    !> rare: rows 2 + E of a fine record and the per-latitude capacity M
    !> (section 6.3), planned with the PARC(11) given (section 5.2.8)
    integer :: nrow = 0, mcap = 0
    !> rare: J1, J2 of that plan (the -778 print line, section 6.1)
    integer :: j1 = 0, j2 = 0
  end type ecl_case_t

contains

  !> Set up the eclipse and the planetary load of a case and apply every
  !> refusal of section 7 before any time step.  parc, parw: PARC(1..12),
  !> PARW(1..7) (zeros = off); PARC(12) is replaced by PERIOD and PARC(11)
  !> by each latitude.  b, rho, cp, kc: the coarse layers (1..N1+1).
  subroutine eclipse_prepare(parc, parw, n1, n2, alat, period, slope, sloazi, atmos, lkoft, &
                             lvft, b, rho, cp, kc, rlay, ps, arc3, convf, ec, status, message)
    real(dp), intent(in) :: parc(12), parw(7), alat(:), period, slope, sloazi
    real(dp), intent(in) :: b(:), rho(:), cp(:), kc(:), rlay, ps, arc3, convf
    integer, intent(in) :: n1, n2
    logical, intent(in) :: atmos, lkoft, lvft
    type(ecl_case_t), intent(out) :: ec
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp), allocatable :: fac(:)
    real(dp) :: pl(12)
    integer :: n4, j, j1, j2, j9
    character(len=24) :: lat

    status = KRC_OK
    message = ' '
    n4 = size(alat)
    ec%parc = parc
    ec%parw = parw
    ec%parc(12) = period
    ec%mode = eclipse_mode(parc(1))
    ec%load = parw(1) > 0.0_dp
    allocate (ec%j3(n4), ec%j4(n4))
    ec%j3 = 0
    ec%j4 = -1
    if (ec%load) then
      if (atmos) then
        status = KRC_E_UNSUPPORTED
        message = 'planetary heat load (PARW(1) > 0) with an atmosphere (PTOTAL > 1) is not '// &
                  'implemented'
        return
      end if
      allocate (ec%pir(n2, n4), ec%pvis(n2, n4))
      do j = 1, n4
        call planet_load(parw, surface_normal(alat(j), slope, sloazi), n2, ec%pir(:, j), &
                         ec%pvis(:, j))
      end do
    end if
    if (ec%mode == ECL_OFF) return
    if (.not. (parc(2) > 0.0_dp .and. parc(3) > 0.0_dp .and. parc(4) > 0.0_dp .and. &
               parc(5) > 0.0_dp .and. parc(6) > 0.0_dp)) then
      status = KRC_E_INPUT
      message = 'eclipse: PARC(2) Sun distance, PARC(3) and PARC(5) radii, PARC(4) orbit '// &
                'radius and PARC(6) period must be > 0'
      return
    end if
    if (.not. (parc(9) >= 0.0_dp .and. parc(9) <= 24.0_dp)) then
      status = KRC_E_INPUT
      write (message, '(a,g0.6,a)') 'eclipse: PARC(9) central hour = ', parc(9), ' is outside 0..24'
      return
    end if
    if (ec%mode == ECL_RARE) then
      if (lkoft .or. lvft .or. (slope /= 0.0_dp .and. sloazi <= -360.0_dp)) then
        status = KRC_E_UNSUPPORTED
        message = 'rare eclipse (PARC(1) >= 1.3) with LKOFT, LVFT or a pit (SLOAZI <= -360) '// &
                  'is not implemented'
        return
      end if
      call fine_setup(parc(1), n1, n2, b, rho, cp, kc, rlay, ps, arc3, convf, ec%fs, status, &
                      message)
      if (status /= KRC_OK) return
      call eclipse_profile(ec%parc, n2, .true., j1, j2, j, j9, fac, status, message)
      if (status /= KRC_OK) return
      ec%nrow = 2 + min(4*ec%fs%k, 18)
      ec%j1 = j1
      ec%j2 = j2
      ec%mcap = 0
      if (j9 >= j) ec%mcap = 2*(j2 - j1)*ec%fs%f
    else
      allocate (ec%fac(n2, n4))
    end if
    do j = 1, n4
      pl = ec%parc
      pl(11) = alat(j)
      lat = 'latitude '//trim(lat_text(alat(j)))
      call eclipse_profile(pl, n2, ec%mode == ECL_RARE, j1, j2, ec%j3(j), ec%j4(j), fac, &
                           status, message)
      if (status /= KRC_OK) then
        message = trim(message)//' ('//trim(lat)//')'
        return
      end if
      if (ec%mode == ECL_DAILY) then
        if (ec%j4(j) < ec%j3(j)) then
          status = KRC_E_INPUT
          write (message, '(a,a,a)') 'daily eclipse (PARC(1) = 1): ', trim(lat), &
            ' has no eclipse (the Sun line misses the occulting body, PARC(7) bias); KRC '// &
            'would reuse stale factors there: run that latitude without the eclipse'
          return
        end if
        if (ec%j3(j) < 1 .or. ec%j4(j) > n2) then
          status = KRC_E_INPUT
          write (message, '(a,a,a,i0,a,i0,a,i0,a)') 'daily eclipse: the window of ', trim(lat), &
            ' (steps ', ec%j3(j), '..', ec%j4(j), ') reaches outside the sol 1..', n2, &
            ': move PARC(9), the central hour, away from midnight'
          return
        end if
        ec%fac(:, j) = fac
        if (atmos .and. fac(n2) /= 1.0_dp) then
          status = KRC_E_INPUT
          write (message, '(a,a,a)') 'daily eclipse: the window of ', trim(lat), &
            ' covers the midnight step with an atmosphere: move PARC(9) away from midnight'
          return
        end if
      else if (ec%j4(j) >= ec%j3(j)) then
        j9 = 2*ec%j4(j) - ec%j3(j)
        if (ec%j3(j) < 1) then
          status = KRC_E_INPUT
          write (message, '(a,a,a,i0,a)') 'rare eclipse: the window of ', trim(lat), &
            ' starts before midnight (step ', ec%j3(j), '): move PARC(9), the central hour, later'
          return
        end if
        if (j9 + 1 >= n2) then
          status = KRC_E_INPUT
          write (message, '(a,a,a,i0,a,i0,a)') 'rare eclipse: the window and its follow-on of ', &
            trim(lat), ' reach midnight (step ', j9 + 1, ' of N2 = ', n2, &
            '): move PARC(9), the central hour, earlier'
          return
        end if
        if ((j9 - ec%j3(j))*ec%fs%f > n2) then
          status = KRC_E_INPUT
          write (message, '(a,a,a,i0,a,i0,a)') 'rare eclipse: the fine window of ', trim(lat), &
            ' has ', (j9 - ec%j3(j))*ec%fs%f, ' fine steps, more than N2 = ', n2, &
            ' (KRC keeps the depth schedule only that far): lower PARC(1) or raise N2'
          return
        end if
        if ((2*ec%j4(j) - ec%j3(j))*ec%fs%f > MAXN2) then
          status = KRC_E_INPUT
          write (message, '(a,a,a,i0)') 'rare eclipse: the fine time storage of ', trim(lat), &
            ' exceeds ', MAXN2
          return
        end if
      end if
    end do
  end subroutine eclipse_prepare

  !> What one latitude of one season needs (ecl_lat_t) and the sol mean P-bar
  !> of the load for the equilibrium start (section 4.3).  last: the last
  !> season (the rare eclipse's fine run is made then).  emis, photo, alb0,
  !> afnow, frosted, skyfac, slope, sloazi, ggt, tblow, mu_day: the surface
  !> settings of the step loop; cosi0, cosi2, f_coll, qdir, qdif: this
  !> latitude's insolation arrays.
  subroutine eclipse_latitude(ec, j, alat, last, emis, photo, alb0, afnow, frosted, skyfac, &
                              slope, sloazi, ggt, tblow, mu_day, cosi0, cosi2, f_coll, qdir, qdif, &
                              el, pbar, status, message)
    type(ecl_case_t), intent(in) :: ec
    integer, intent(in) :: j
    real(dp), intent(in) :: alat, emis, alb0, afnow, skyfac, slope, sloazi, ggt, tblow, mu_day
    logical, intent(in) :: last, frosted
    type(photo_t), intent(in) :: photo
    real(dp), intent(in) :: cosi0(:), cosi2(:), f_coll(:), qdir(:), qdif(:)
    type(ecl_lat_t), intent(out) :: el
    real(dp), intent(out) :: pbar
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp) :: pl(12)
    integer :: n2, j1, j2, j3, j4

    status = KRC_OK
    message = ' '
    n2 = size(qdir)
    pbar = 0.0_dp
    if (ec%load) then
      el%load = .true.
      el%emis = emis
      el%as = photo%ps*alb0
      el%pir = ec%pir(:, j)
      el%pvis = ec%pvis(:, j)
      pbar = (emis*sum_in_order(el%pir) + (1.0_dp - el%as)*sum_in_order(el%pvis))/real(n2, dp)
    end if
    if (ec%mode /= ECL_RARE) return
    el%rare = .true.
    el%fine = last .and. ec%j4(j) >= ec%j3(j)
    if (.not. el%fine) return
    pl = ec%parc
    pl(11) = alat
    call eclipse_profile(pl, n2, .true., j1, j2, j3, j4, el%fac, status, message)
    if (status /= KRC_OK) return
    el%j3 = j3
    el%j4 = j4
    el%parc8 = ec%parc(8)
    el%as = photo%ps*alb0
    el%skyfac = skyfac
    el%ggt = ggt
    el%tblow = tblow
    el%fs = ec%fs
    el%qdir = qdir
    el%qdif = qdif
    allocate (el%an(n2))
    call direct_albedo(n2, cosi0, cosi2, f_coll, alb0, afnow, frosted, photo, slope, sloazi, &
                       mu_day, el%an)
    if (ec%load) then
      el%g = emis*el%pir + (1.0_dp - el%as)*el%pvis
    else
      allocate (el%g(n2))
      el%g = 0.0_dp
    end if
  end subroutine eclipse_latitude

  !> Shapes of the rare-eclipse record arrays and the capacity refusal of
  !> section 7 ((J9 - J3) F > M); fills the fine centres z^f_1 .. z^f_E.
  subroutine eclipse_records_check(ec, alat, nrow, mcap, nlat, nwin1, nwin2, depth, status, &
                                   message)
    type(ecl_case_t), intent(in) :: ec
    real(dp), intent(in) :: alat(:)
    integer, intent(in) :: nrow, mcap, nlat, nwin1, nwin2
    real(dp), intent(out) :: depth(:)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: j, m

    status = KRC_OK
    message = ' '
    depth = 0.0_dp
    if (nrow /= ec%nrow .or. mcap /= ec%mcap .or. nwin1 /= 3 .or. nwin2 /= nlat .or. &
        size(depth) /= ec%nrow) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a,i0,a)') 'rare-eclipse record array must be (', ec%nrow, ', ', &
        ec%mcap, ', latitudes with an eclipse)'
      return
    end if
    m = min(ec%nrow - 2, ec%fs%nf)
    depth(1:m) = ec%fs%z(1:m)
    do j = 1, size(alat)
      if (ec%j4(j) >= ec%j3(j) .and. 2*(ec%j4(j) - ec%j3(j))*ec%fs%f > ec%mcap) then
        status = KRC_E_INPUT
        write (message, '(a,a,a,i0,a,i0,a)') 'rare eclipse: the fine window of latitude ', &
          trim(lat_text(alat(j))), ' (', 2*(ec%j4(j) - ec%j3(j))*ec%fs%f, &
          ' fine steps) exceeds the record capacity ', ec%mcap, &
          ' planned from PARC(11) (the latitude held at case start): set PARC(11)'
        return
      end if
    end do
  end subroutine eclipse_records_check

  !> Style of PARC(1) (section 1.3): daily iff |PARC(1) - 1| < 0.2, rare iff
  !> PARC(1) >= 1.3, otherwise none.
  pure integer function eclipse_mode(parc1) result(m)
    real(dp), intent(in) :: parc1
    m = ECL_OFF
    if (abs(parc1 - 1.0_dp) < 0.2_dp) then
      m = ECL_DAILY
    else if (parc1 >= 1.3_dp) then
      m = ECL_RARE
    end if
  end function eclipse_mode

  !> Refinement factor K = nint(PARC(1)) (half away from zero).
  pure integer function eclipse_factor_k(parc1) result(k)
    real(dp), intent(in) :: parc1
    k = nint(min(parc1, 1.0e6_dp))
  end function eclipse_factor_k

  !> Eclipse factor profile (section 2).  parc(11) is the latitude (deg),
  !> parc(12) the sol length (days); n2 coarse steps per sol.  rare selects
  !> the fine values of section 2.5.  Returns the window j1..j4 and, if there
  !> is an eclipse (j4 >= j3), fac: N2 values (daily) or (J4 + 1 - J3)*F
  !> values (rare); without an eclipse fac is allocated empty.
  subroutine eclipse_profile(parc, n2, rare, j1, j2, j3, j4, fac, status, message)
    real(dp), intent(in) :: parc(12)
    integer, intent(in) :: n2
    logical, intent(in) :: rare
    integer, intent(out) :: j1, j2, j3, j4
    real(dp), allocatable, intent(out) :: fac(:)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp) :: s, phi, bp, p, psih, cosz, y0, d, rs, c, bb, rr, yy, alpha, h, hmax, vx, v1, v2
    real(dp) :: delta, u, bq, rq, z2, q, rq2, bq2, ssum, dif, area, fmin, psi, ro, re, a, pm, psol
    integer :: k, f, m, nout

    status = KRC_OK
    message = ' '
    j1 = 0; j2 = 0
    ro = parc(3); a = parc(4); re = parc(5); pm = parc(6); psol = parc(12)
    f = 1
    if (rare) then
      k = eclipse_factor_k(parc(1))
      f = k*k
    end if
    s = RSUN_KM/(parc(2)*AU_KM)
    phi = parc(11)*(PI_E/180.0_dp)
    bp = parc(7) + ((sin(phi)*re)/ro)
    p = (0.5_dp*PI_E - phi) - atan((bp*ro)/a)
    psih = PI_E*(parc(9)/12.0_dp - 1.0_dp)
    cosz = sin(p)*cos(psih)
    y0 = bp*ro
    d = a - cosz*re
    rs = d*s
    c = (real(n2, dp)*parc(9))/24.0_dp
    if (y0 >= rs + ro) then
      j3 = nint(c)
      j4 = j3 - 1
      allocate (fac(0))
      return
    end if
    bb = max(ro, rs)
    rr = min(ro, rs)
    yy = (ro + rs)*(ro + rs) - y0*y0
    if (.not. (yy >= 0.0_dp)) then
      status = KRC_E_INPUT
      write (message, '(a,g0.6,a)') 'eclipse (PARC): the Sun line passes ', y0, &
        ' km from the occulting body, beyond the geometry of the profile; check PARC(7) and the radii'
      j3 = 0; j4 = -1
      allocate (fac(0))
      return
    end if
    yy = sqrt(yy)
    alpha = asin(yy/d)
    if (re < ro) then
      h = alpha*pm/(2.0_dp*PI_E)
      hmax = asin((ro + rs)/d)*pm/(2.0_dp*PI_E)
    else
      vx = 2.0_dp*PI_E*re/psol
      v1 = vx*cosz
      v2 = 2.0_dp*PI_E*a/pm
      h = yy/(v2 - v1)
      hmax = (ro + rs)/(v2 - vx)
    end if
    j1 = int(c - (hmax*real(n2, dp))/psol)
    j2 = int(c + (hmax*real(n2, dp))/psol) + 1
    j3 = int(c - (h*real(n2, dp))/psol)
    j4 = int(c + (h*real(n2, dp))/psol) + 1

    ! Section 2.3: the overlap geometry in fine-step units of the orbit.
    delta = 2.0_dp*PI_E/real(n2, dp)
    u = ((2.0_dp*PI_E*a)/(pm*DAY_S))*(((pm*DAY_S)/real(n2, dp))/real(f, dp))
    bq = bb/u
    rq = rr/u
    z2 = (y0/u)*(y0/u)
    q = a/u
    rq2 = rq*rq
    bq2 = bq*bq
    ssum = rq + bq
    dif = bq - rq
    if (ro >= rs) then
      area = PI_E*rq2
      fmin = 0.0_dp
    else
      area = PI_E*bq2
      fmin = 1.0_dp - rq2/bq2
    end if

    if (rare) then
      nout = max(0, (j4 + 1 - j3)*f)
    else
      nout = n2
    end if
    allocate (fac(nout))
    fac = 1.0_dp
    if (parc(10) < 0.0_dp) return      ! section 2.6: debug code < 0, no eclipse
    if (rare) then
      do m = 1, nout
        psi = abs(real(m, dp) - ((c - real(j3, dp))*real(f, dp) + 0.5_dp))*(delta/real(f, dp))
        call one_factor(psi, fac(m))
        if (status /= KRC_OK) return
      end do
    else
      if (j3 < 1 .or. j4 > n2) return   ! refused by the caller (section 3.3.3)
      do m = j3, j4
        psi = abs(real(m, dp) - (c + 0.5_dp))*delta
        call one_factor(psi, fac(m))
        if (status /= KRC_OK) return
      end do
    end if

  contains

    !> Factor at one step (section 2.4).
    subroutine one_factor(ang, fv)
      real(dp), intent(in) :: ang
      real(dp), intent(out) :: fv
      real(dp) :: y, d2, dd, pp, a1, a2, over
      y = sin(ang)*q
      d2 = y*y + z2
      dd = sqrt(d2)
      if (dd <= dif) then
        fv = fmin
      else if (dd >= ssum) then
        fv = 1.0_dp
      else
        pp = (dif - dd)*(-dif - dd)*(ssum - dd)*(ssum + dd)
        if (pp < 0.0_dp) then
          status = KRC_E_INPUT
          message = 'eclipse (PARC): negative radicand in the disc overlap; check the radii '// &
                    'PARC(3), PARC(5) and the Sun distance PARC(2)'
          fv = -1.0_dp
          return
        end if
        a1 = acos((d2 + rq2 - bq2)/((2.0_dp*dd)*rq))
        a2 = acos((d2 + bq2 - rq2)/((2.0_dp*dd)*bq))
        over = (rq2*a1 + bq2*a2) - 0.5_dp*sqrt(pp)
        fv = 1.0_dp - over/area
      end if
    end subroutine one_factor
  end subroutine eclipse_profile

  !> Surface normal of the target (krc-physics 4.2), the same arithmetic as
  !> the insolation geometry: vertical (-cos lat, 0, sin lat), tilted by
  !> SLOPE about y, then turned by -SLOAZI about the vertical.
  pure function surface_normal(alat, slope, sloazi) result(v)
    real(dp), intent(in) :: alat, slope, sloazi
    real(dp) :: v(3), u(3), rl
    rl = alat/R_K
    u = [-cos(rl), 0.0_dp, sin(rl)]
    v = u
    if (slope /= 0.0_dp) v = target_normal(u, slope, sloazi)
  end function surface_normal

  !> Planetary IR and reflected-light load of each step (section 4.1).
  pure subroutine planet_load(parw, normal, n2, pir, pvis)
    real(dp), intent(in) :: parw(7), normal(3)
    integer, intent(in) :: n2
    real(dp), intent(out) :: pir(n2), pvis(n2)
    real(dp) :: om, pv(3), cosp, dh, h, ph
    integer :: n
    om = parw(7)*(PI_K/12.0_dp)
    pv = [cos(om), sin(om), 0.0_dp]
    cosp = pv(1)*normal(1) + pv(2)*normal(2) + pv(3)*normal(3)
    cosp = max(cosp, 0.0_dp)
    dh = 2.0_dp*PI_K/real(n2, dp)
    do n = 1, n2
      h = (real(n, dp) - 0.5_dp)*dh
      ph = h + PI_K
      pir(n) = cosp*(parw(1) + parw(2)*cos(ph - parw(3)/R_K))
      pvis(n) = cosp*(parw(4) + parw(5)*cos(ph - parw(6)/R_K))
    end do
  end subroutine planet_load

  !> Direct-beam albedo a_n of each step, as the insolation routine forms it
  !> (krc-physics 4.5), for the fine run's forcing (section 5.5).
  pure subroutine direct_albedo(n2, cosi0, cosi2, f_coll, alb0, afnow, frosted, photo, slope, &
                                sloazi, mu_day, an)
    integer, intent(in) :: n2
    real(dp), intent(in) :: cosi0(n2), cosi2(n2), f_coll(n2), alb0, afnow, slope, sloazi, mu_day
    logical, intent(in) :: frosted
    type(photo_t), intent(in) :: photo
    real(dp), intent(out) :: an(n2)
    real(dp) :: coslim, fc
    integer :: n
    coslim = 0.0_dp
    if (slope /= 0.0_dp .and. sloazi <= -360.0_dp) coslim = cos((90.0_dp - slope)/R_K)
    do n = 1, n2
      fc = 0.0_dp
      if (cosi0(n) > mu_day) fc = f_coll(n)
      if (cosi2(n) > coslim .and. cosi0(n) > 0.0_dp .and. fc > 0.0_dp) then
        if (frosted) then
          an(n) = afnow
        else
          an(n) = min(1.0_dp, max(0.0_dp, alb0*photo_factor(photo, cosi2(n))))
        end if
      else
        an(n) = alb0
      end if
    end do
  end subroutine direct_albedo

  !> Fine layer grid of a rare eclipse (section 5.2 items 1-6) from the
  !> coarse layers b, rho, c, k (1..N1+1).  ps: seconds per sol.
  subroutine fine_setup(parc1, n1, n2, b, rho, cp, kc, rlay, ps, arc3, convf, fs, status, message)
    real(dp), intent(in) :: parc1, b(:), rho(:), cp(:), kc(:), rlay, ps, arc3, convf
    integer, intent(in) :: n1, n2
    type(fine_t), intent(out) :: fs
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp) :: beta1, gm, dtj
    real(dp), allocatable :: kap(:), mmin(:)
    integer, allocatable :: lev(:)
    integer :: i, j, m, nf, km, kk, nk
    real(sp) :: xl

    status = KRC_OK
    message = ' '
    fs%k = eclipse_factor_k(parc1)
    fs%f = fs%k*fs%k
    if (fs%f > MAX_FINE_F) then
      status = KRC_E_INPUT
      write (message, '(a,g0.4,a,i0,a)') 'PARC(1) = ', parc1, ': the rare-eclipse time factor K^2 = ', &
        fs%f, ' exceeds 49; use PARC(1) < 7.5'
      return
    end if
    if (rlay == 1.0_dp) then
      status = KRC_E_INPUT
      message = 'RLAY = 1: the rare-eclipse fine layers need a layer ratio RLAY /= 1'
      return
    end if
    fs%rf = exp(log(rlay)/real(fs%k, dp))
    beta1 = (fs%rf - 1.0_dp)/(rlay - 1.0_dp)
    nf = min(1 + (n1 - 1)*fs%k, MAX_FINE_LAYERS)
    fs%nf = nf
    fs%jlow = (nf - 1)/fs%k + 1
    allocate (fs%b(nf + 1), fs%z(nf + 1), fs%k_(nf + 1), fs%rho(nf + 1), fs%c(nf + 1), &
              fs%s(nf + 1), fs%f1(nf + 1), fs%f2(nf + 1), fs%f3(nf + 1), kap(nf + 1), mmin(nf + 1))
    fs%s = 0.0_dp; fs%f1 = 0.0_dp; fs%f2 = 0.0_dp; fs%f3 = 0.0_dp
    gm = beta1
    do i = 2, nf + 1
      j = 2 + (i - 2)/fs%k
      m = mod(i - 2, fs%k)
      if (m == 0) then
        gm = beta1
      else
        gm = gm*fs%rf
      end if
      fs%b(i) = b(j)*gm
      fs%rho(i) = rho(j); fs%c(i) = cp(j); fs%k_(i) = kc(j)
    end do
    fs%b(1) = fs%b(2)/fs%rf
    fs%rho(1) = rho(1); fs%c(1) = cp(1); fs%k_(1) = kc(1)
    fs%z(1) = -fs%b(1)/2.0_dp
    do i = 2, nf + 1
      fs%z(i) = fs%z(i - 1) + (fs%b(i) + fs%b(i - 1))/2.0_dp
    end do
    fs%dtf = ps/real(n2*fs%f, dp)
    do i = 1, nf + 1
      kap(i) = fs%k_(i)/(fs%rho(i)*fs%c(i))
    end do
    fs%smin = huge(1.0_dp)
    fs%lmin = 2
    do i = 2, nf
      fs%s(i) = fs%b(i)*fs%b(i)/(2.0_dp*fs%dtf*kap(i))
      if (fs%s(i) < fs%smin) then
        fs%smin = fs%s(i)
        fs%lmin = i
      end if
    end do
    if (.not. (fs%smin >= arc3)) then
      status = KRC_E_INPUT
      write (message, '(a,g0.4,a,i0,a,f8.4,a,f8.4,a)') 'PARC(1) = ', parc1, &
        ': the rare-eclipse fine grid is unstable (fine layer ', fs%lmin, ' stability factor ', &
        fs%smin, ' < ARC3 = ', arc3, '); use a smaller PARC(1), a larger FLAY or a larger N2'
      call squeeze(message)
      return
    end if
    ! Time doubling as in the coarse grid (krc-physics 2.3) with N2*F steps.
    mmin(nf) = fs%s(nf)
    do i = nf - 1, 2, -1
      mmin(i) = min(fs%s(i), mmin(i + 1))
    end do
    xl = log(real(n2*fs%f, sp))/log(2.0_sp) + 0.001_sp
    km = min(MAXBOT, int(xl)) - 1
    kk = 0
    nk = n2*fs%f
    fs%glast = 0
    fs%glast(-1) = 1
    allocate (lev(nf + 1))
    lev = 0
    do j = 2, nf
      if (kk < km .and. j > 3 .and. mod(nk, 2) == 0) then
        if (mmin(j) > 2.0_dp*real(2**kk, dp)*convf) then
          fs%glast(kk) = j - 1
          kk = kk + 1
          nk = nk/2
        end if
      end if
      lev(j) = kk
    end do
    fs%glast(kk) = nf
    fs%kdbl = kk
    ! Coefficients (krc-physics 2.2), each layer with its own doubled step;
    ! the last layer uses the bottom node's thickness and conductivity.
    do j = 2, nf
      dtj = fs%dtf*real(2**lev(j), dp)
      fs%f1(j) = 2.0_dp*dtj/(fs%rho(j)*fs%c(j)*(fs%b(j)*fs%b(j)))*fs%k_(j)/ &
                 (1.0_dp + fs%b(j + 1)*fs%k_(j)/(fs%b(j)*fs%k_(j + 1)))
      fs%f3(j) = (fs%b(j)/fs%k_(j) + fs%b(j + 1)/fs%k_(j + 1))/ &
                 (fs%b(j)/fs%k_(j) + fs%b(j - 1)/fs%k_(j - 1))
      fs%f2(j) = -1.0_dp - fs%f3(j)
    end do
  end subroutine fine_setup

  !> Ordered-interval linear interpolation (section 5.4): xs, ys increasing
  !> abscissae (np >= 2), targets x increasing; end intervals extrapolate.
  pure subroutine interp_ordered(xs, ys, x, y)
    real(dp), intent(in) :: xs(:), ys(:), x(:)
    real(dp), intent(out) :: y(:)
    integer :: i, m, np
    real(dp) :: slope
    np = size(xs)
    i = 1
    slope = (ys(2) - ys(1))/(xs(2) - xs(1))
    do m = 1, size(x)
      do while (i + 1 < np)
        if (x(m) < xs(i + 1)) exit
        i = i + 1
        slope = (ys(i + 1) - ys(i))/(xs(i + 1) - xs(i))
      end do
      y(m) = ys(i) + (x(m) - xs(i))*slope
    end do
  end subroutine interp_ordered

  !> The fine sub-simulation of one latitude (sections 5.4-5.6).  zc: coarse
  !> centres (1..N1+1), bc: coarse thicknesses; ts, tc: the coarse surface
  !> temperature and layers (1..N1+1, the bottom node set for step J3 + 1)
  !> at the start of coarse step J3 + 1.  e: the latitude's forcing and
  !> factors.  tback(1..jlow): the returned profile (slot 1 = T_s).
  subroutine fine_run(fs, zc, bc, n1, ts0, tc, e, emis, tback, status, message, rec)
    type(fine_t), intent(in) :: fs
    real(dp), intent(in) :: zc(:), bc(:), ts0, tc(:), emis
    integer, intent(in) :: n1
    type(ecl_lat_t), intent(in) :: e
    real(dp), intent(out) :: tback(:)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    !> Output records (section 6.3): (2 + E, (J9 - J3) F) = (Q_dir, e, T_s,
    !> T^f_2 .. T^f_E) of every fine step.
    real(dp), intent(inout), optional :: rec(:, :)
    real(dp), allocatable :: t(:), dti(:), xs(:), ys(:)
    real(dp) :: ts, db, c1, q, w, an, qd, qf, gg, ab, ecf, cond, fac, fac4, heat
    integer :: nf, j9, n, sub, sstar, l, n0, jf, kn, j, f, nst

    status = KRC_OK
    message = ' '
    nf = fs%nf
    f = fs%f
    allocate (t(nf + 1), dti(nf + 1), xs(n1), ys(n1))
    dti = 0.0_dp
    ! Section 5.4: initial fine state from the coarse snapshot.
    xs(1) = 0.0_dp
    xs(2:n1) = zc(2:n1)
    ys(1) = ts0
    ys(2:n1) = tc(2:n1)
    call interp_ordered(xs, ys, fs%z(1:nf), t(1:nf))
    t(nf + 1) = t(nf)
    db = (tc(fs%jlow + 1) - tc(fs%jlow))*((fs%b(nf + 1) - fs%b(nf))/(bc(fs%jlow + 1) - bc(fs%jlow)))
    ts = ts0
    c1 = 1.0_dp + 1.0_dp/fs%rf
    cond = fs%k_(2)/fs%z(2)
    fac = e%skyfac*emis*SIGMA_SB
    fac4 = 4.0_dp*fac
    ! Section 5.5: time loop over coarse steps J3+1 .. J9 with F sub-steps.
    q = 1.0_dp
    if (mod(f, 2) == 0) q = 0.5_dp
    sstar = f/2 + 1
    j9 = 2*e%j4 - e%j3
    n0 = e%j3
    l = f - sstar + 2
    jf = 0
    do n = e%j3 + 1, j9
      ecf = 1.0_dp
      do sub = 1, f
        if (sub == sstar) then
          n0 = n
          l = 1
        end if
        jf = jf + 1
        w = (real(l, dp) - q)/real(f, dp)
        l = l + 1
        if (n <= e%j4) then
          ecf = e%fac(jf)
        else
          ecf = 1.0_dp
        end if
        ! 1, 2: virtual layer and bottom node.
        t(1) = t(2) - c1*(t(2) - ts)
        if (e%parc8 >= 0.0_dp) t(nf + 1) = t(nf) + db
        ! 3: layer increments (Jacobi), then apply.
        kn = fs%glast(min(trailz(jf), fs%kdbl))
        do j = 2, kn
          dti(j) = fs%f1(j)*((t(j + 1) + fs%f2(j)*t(j)) + fs%f3(j)*t(j - 1))
        end do
        do j = 2, kn
          t(j) = t(j) + dti(j)
        end do
        ! 4: absorbed flux with the time-interpolated forcing.
        an = e%an(n0) + w*(e%an(n0 + 1) - e%an(n0))
        qd = e%qdir(n0) + w*(e%qdir(n0 + 1) - e%qdir(n0))
        qf = e%qdif(n0) + w*(e%qdif(n0 + 1) - e%qdif(n0))
        gg = e%g(n0) + w*(e%g(n0 + 1) - e%g(n0))
        ab = ecf*((1.0_dp - an)*qd + (1.0_dp - e%as)*qf) + gg
        ! 5: Newton for T_s (bare ground, no atmosphere, no frost).
        call surface_newton(ab, cond, t(2), fac, fac4, e%ggt, e%tblow, ts, heat, status)
        if (status /= KRC_OK) then
          write (message, '(a,i0,a,i0,a,es12.5,a,es12.5)') &
            'rare-eclipse fine run: surface temperature blow-up at coarse step ', n, &
            ' fine step ', jf, ': Ts = ', ts, ', TBLOW = ', e%tblow
          status = KRC_E_BLOWUP
          return
        end if
        ! 6, 7: the virtual slot keeps T_s for the record.
        t(1) = ts
        if (present(rec)) then
          rec(1, jf) = qd
          rec(2, jf) = ecf
          rec(3, jf) = ts
          nst = min(size(rec, 1) - 3, nf - 1)
          rec(4:3 + nst, jf) = t(2:1 + nst)
        end if
      end do
    end do
    ! Section 5.6: back onto the coarse centres 2..jlow; slot 1 = T_s.
    deallocate (xs, ys)
    allocate (xs(nf), ys(nf))
    xs(1) = 0.0_dp
    xs(2:nf) = fs%z(2:nf)
    ys(1) = ts
    ys(2:nf) = t(2:nf)
    tback(1) = ts
    call interp_ordered(xs, ys, zc(2:fs%jlow), tback(2:fs%jlow))
  end subroutine fine_run

  !> A latitude for messages: F0.2 with the leading zero (0.00, -0.50).
  pure function lat_text(x) result(txt)
    real(dp), intent(in) :: x
    character(len=16) :: txt
    write (txt, '(f0.2)') x
    if (txt(1:1) == '.') then
      txt = '0'//trim(txt)
    else if (txt(1:2) == '-.') then
      txt = '-0'//trim(txt(2:))
    end if
  end function lat_text

  !> Squeeze runs of blanks in a message.
  subroutine squeeze(msg)
    character(len=*), intent(inout) :: msg
    integer :: i
    do
      i = index(trim(msg), '  ')
      if (i == 0) exit
      msg = msg(:i)//msg(i + 2:)
    end do
  end subroutine squeeze

end module krc_eclipse

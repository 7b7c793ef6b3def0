!> Subsurface layer grid, materials, stability and time doubling of the
!> thermal model (no atmosphere dependence).
!>
!> Spec: ../shared/spec/krc-physics.md sections 1 (grid, virtual layer,
!> bottom boundary), 2.2-2.3 (coefficients, stability, time doubling),
!> 8 (T-dependent k and c) and 9 (precision).  Parameter indices follow
!> ../shared/spec/krc-formats.md 1.5-1.7.
!>
!> Everything here is pure set-up: grid_build fills a grid_t from the
!> parameter arrays; the time stepper (krc_season) only reads it.  No state
!> is kept between calls (reentrant).
module krc_grid
  use, intrinsic :: ieee_arithmetic, only: ieee_is_finite
  use krc_constants, only: dp, sp, PI_K, SIGMA_SB, SEC_PER_DAY, MAXN1, MAXBOT, &
                           KRC_OK, KRC_E_INPUT, KRC_E_UNSTABLE, MSG_LEN
  implicit none
  private

  public :: grid_t, grid_build, kt_poly, global_tg

  ! FD indices used here (formats 1.5)
  integer, parameter :: F_ALB = 1, F_EMIS = 2, F_INERTIA = 3, F_COND2 = 4, F_DENS2 = 5, &
                        F_PERIOD = 6, F_SPHT = 7, F_DENS = 8, F_SPHT2 = 16, F_ARC3 = 22, &
                        F_RLAY = 33, F_FLAY = 34, F_CONVF = 35, F_DEPTH = 36, &
                        F_SOLCON = 46, F_CCKU = 49, F_CCKL = 53, F_CCPU = 57, F_CCPL = 61
  ! ID indices (formats 1.6)
  integer, parameter :: I_N1 = 1, I_N2 = 2, I_IC2 = 8
  ! LD indices (formats 1.7)
  integer, parameter :: L_LKOFT = 10, L_LOCAL = 15

  !> The layer grid of one case.  Layer 1 is the virtual layer above the
  !> surface, layer n1+1 the boundary node below the bottom layer (physics 1).
  type :: grid_t
    integer :: n1 = 0            !< N = N1 layers (incl. the virtual one)
    integer :: n2 = 0            !< time steps per sol
    integer :: kdbl = 0          !< number of time doublings K
    integer :: ngroups = 0       !< K + 1 groups (KKK, ID(34))
    !> glast(g) = last layer of group g (g = 0..K); glast(-1) = 1 (physics 2.3)
    integer :: glast(-1:MAXBOT) = 0
    integer :: ic2 = 999         !< first layer of the lower material (or zone 2)
    logical :: lkoft = .false.   !< any T-dependent layer
    logical :: thickened = .false.  !< lower layers were thickened (physics 1.2 step 3)
    real(dp) :: s_thick = 0.0_dp !< the lower-material safety factor that triggered it
    real(dp) :: ps = 0.0_dp      !< seconds per sol
    real(dp) :: dt = 0.0_dp      !< base time step, s
    real(dp) :: rlay = 0.0_dp, flay = 0.0_dp
    real(dp) :: tg = 0.0_dp      !< global equilibrium T for k(T) set-up (physics 1.1)
    real(dp) :: tdfrac = 0.0_dp  !< time-doubling fraction (print only)
    !> upper material (FD(91..93) are COND, DIFFU, SCALE of the upper material
    !> from INERTIA, DENS, SPHT)
    real(dp) :: cond_u = 0.0_dp, diffu_u = 0.0_dp, scale_u = 0.0_dp
    !> conductance surface -> layer 2 at set-up, k_2/z_2 (physics 3.1)
    real(dp) :: cond_s = 0.0_dp
    !> polynomial coefficients (k, c) of the upper (1) and lower (2) material
    real(dp) :: cck(4, 2) = 0.0_dp, ccp(4, 2) = 0.0_dp
    real(dp), allocatable :: b(:)     !< thickness b_j, m (1..n1+1)
    real(dp), allocatable :: z(:)     !< centre depth z_j, m
    real(dp), allocatable :: k(:)     !< conductivity
    real(dp), allocatable :: rho(:)   !< density
    real(dp), allocatable :: c(:)     !< specific heat
    real(dp), allocatable :: dscale(:)  !< skin depth of the layer's material
    real(dp), allocatable :: s(:)     !< safety factor b^2/(2 dt kappa), before doubling
    integer, allocatable  :: lev(:)   !< doubling level g of layer j
    real(dp), allocatable :: f1(:), f2(:), f3(:)   !< T-constant coefficients (physics 2.2)
    !> T-dependent set-up: material index (0 = constant, 1 upper, 2 lower),
    !> 2 dt_j/(rho_j b_j^2) and b_{j+1}/b_j (physics 8)
    integer, allocatable  :: mat(:)
    !> zone (1-based) of each layer with a zone table (krc-print-extras 5)
    integer, allocatable  :: zid(:)
    real(dp), allocatable :: f1t(:), rb(:)
  end type grid_t

contains

  !> k(T) or C_p(T) polynomial, x = (T - 220)*0.01, Horner order (physics 8).
  pure real(dp) function kt_poly(cc, t) result(v)
    real(dp), intent(in) :: cc(4), t
    real(dp) :: x
    x = (t - 220.0_dp)*0.01_dp
    v = ((cc(4)*x + cc(3))*x + cc(2))*x + cc(1)
  end function kt_poly

  !> Global equilibrium temperature for the k(T) set-up (physics 1.1):
  !> T_g = [SOLCON(1-ALB)/(2 pi_K SJA^2 EMIS sigma)]^(1/4).
  pure real(dp) function global_tg(fd, sja) result(tg)
    real(dp), intent(in) :: fd(:), sja
    tg = (fd(F_SOLCON)*(1.0_dp - fd(F_ALB))/(2.0_dp*PI_K*(sja*sja)*fd(F_EMIS)*SIGMA_SB))**0.25_dp
  end function global_tg

  !> Build the layer grid (physics 1, 2.2, 2.3, 8).
  !> fd(96), id(40): parameter arrays; lkoft, local: LD(10), LD(15);
  !> zone(4, nzone) the zone table (nzone = 0: none); sja: semi-major axis
  !> for T_g (only used with k(T)).
  subroutine grid_build(fd, id, lkoft, local, nzone, zone, sja, g, status, message)
    real(dp), intent(in) :: fd(:)
    integer, intent(in) :: id(:)
    logical, intent(in) :: lkoft, local
    integer, intent(in) :: nzone
    real(dp), intent(in) :: zone(:, :)
    real(dp), intent(in) :: sja
    type(grid_t), intent(out) :: g
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message

    integer :: n, j, jc, lm
    real(dp) :: rk_u, rc_u, rk_l, rc_l, kap_u, kap_l, d_u, d_l, ssum, sj, smin, arc3, convf
    real(dp), allocatable :: kap(:), mmin(:)

    status = KRC_OK
    message = ' '
    n = id(I_N1)
    g%n1 = n
    g%n2 = id(I_N2)
    if (n < 3 .or. n > MAXN1) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a,i0)') 'N1 = ', n, ' out of range 3..', MAXN1
      return
    end if
    if (g%n2 < 2) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a)') 'N2 = ', g%n2, ' must be >= 2'
      return
    end if
    ! Written as .not.(x > 0) so that NaN is refused too.
    if (.not. (fd(F_PERIOD) > 0.0_dp .and. fd(F_RLAY) > 0.0_dp .and. fd(F_DENS) > 0.0_dp .and. &
               fd(F_SPHT) > 0.0_dp .and. fd(F_INERTIA) > 0.0_dp)) then
      status = KRC_E_INPUT
      message = 'INERTIA, PERIOD, RLAY, DENSITY and SPEC_HEAT must be > 0'
      return
    end if
    allocate (g%b(n + 1), g%z(n + 1), g%k(n + 1), g%rho(n + 1), g%c(n + 1), g%dscale(n + 1), &
              g%s(n + 1), g%lev(n + 1), g%f1(n + 1), g%f2(n + 1), g%f3(n + 1), g%mat(n + 1), &
              g%f1t(n + 1), g%rb(n + 1), kap(n + 1), mmin(n + 1))
    g%b = 0.0_dp; g%z = 0.0_dp; g%s = 0.0_dp; g%lev = 0
    g%f1 = 0.0_dp; g%f2 = 0.0_dp; g%f3 = 0.0_dp; g%f1t = 0.0_dp; g%rb = 0.0_dp; g%mat = 0

    ! Physics 9: P_s = PERIOD*86400, dt = P_s/N2.
    g%ps = fd(F_PERIOD)*SEC_PER_DAY
    g%dt = g%ps/real(g%n2, dp)
    g%rlay = fd(F_RLAY)
    g%flay = fd(F_FLAY)
    arc3 = fd(F_ARC3)
    convf = fd(F_CONVF)
    g%cck(:, 1) = fd(F_CCKU:F_CCKU + 3)
    g%cck(:, 2) = fd(F_CCKL:F_CCKL + 3)
    g%ccp(:, 1) = fd(F_CCPU:F_CCPU + 3)
    g%ccp(:, 2) = fd(F_CCPL:F_CCPL + 3)

    ! Physics 1.1: materials.  FD(91..93) always describe the upper material
    ! from INERTIA (the stored common shows this value even with k(T)).
    g%cond_u = fd(F_INERTIA)*fd(F_INERTIA)/(fd(F_DENS)*fd(F_SPHT))
    g%diffu_u = g%cond_u/(fd(F_DENS)*fd(F_SPHT))
    g%scale_u = sqrt(g%diffu_u*g%ps/PI_K)
    g%lkoft = lkoft
    g%tg = 0.0_dp
    if (lkoft) then
      g%tg = global_tg(fd, sja)
      ! Without PORB the semi-major axis is 0 here and T_g infinite (physics 14).
      if (.not. ieee_is_finite(g%tg)) then
        status = KRC_E_INPUT
        message = 'LKOFT needs the PORB block (LPORB): the global temperature of the k(T) '// &
                  'set-up uses its semi-major axis (physics 1.1)'
        return
      end if
      rk_u = kt_poly(g%cck(:, 1), g%tg)
      rc_u = kt_poly(g%ccp(:, 1), g%tg)
      rk_l = kt_poly(g%cck(:, 2), g%tg)
      rc_l = kt_poly(g%ccp(:, 2), g%tg)
    else
      rk_u = g%cond_u
      rc_u = fd(F_SPHT)
      rk_l = fd(F_COND2)
      rc_l = fd(F_SPHT2)
    end if
    kap_u = rk_u/(fd(F_DENS)*rc_u)
    d_u = sqrt(kap_u*g%ps/PI_K)

    if (nzone > 0) then
      call zone_layers(fd, nzone, zone, rk_u, rc_u, rk_l, rc_l, sja, g, status, message)
      if (status /= KRC_OK) return
    else
      g%ic2 = id(I_IC2)
      if (g%ic2 < 3) g%ic2 = 999
      if (g%ic2 <= n + 1 .and. (fd(F_DENS2) <= 0.0_dp .or. rc_l <= 0.0_dp .or. &
                               rk_l <= 0.0_dp)) then
        status = KRC_E_INPUT
        write (message, '(a,i0,a)') 'IC2 = ', g%ic2, &
          ': lower material needs COND2, DENS2 and SpHeat2 > 0'
        return
      end if
      kap_l = 0.0_dp
      d_l = 0.0_dp
      if (g%ic2 <= n + 1) then
        kap_l = rk_l/(fd(F_DENS2)*rc_l)
        d_l = sqrt(kap_l*g%ps/PI_K)
      end if
      do j = 1, n + 1
        if (j < g%ic2) then
          g%k(j) = rk_u; g%rho(j) = fd(F_DENS); g%c(j) = rc_u; g%dscale(j) = d_u
          if (lkoft) g%mat(j) = 1
        else
          g%k(j) = rk_l; g%rho(j) = fd(F_DENS2); g%c(j) = rc_l; g%dscale(j) = d_l
          if (lkoft) g%mat(j) = 2
        end if
      end do
      ! Physics 1.2 step 1: DEPTH replaces FLAY (sum accumulated term by term).
      if (fd(F_DEPTH) >= 1.0_dp) then
        g%flay = fd(F_DEPTH)/geometric_sum(g%rlay, n - 1)
      end if
      ! Step 2: b_j = FLAY*RLAY^(j-2)*D_ref (RLAY^(j-2) by repeated squaring).
      do j = 1, n + 1
        if (local) then
          g%b(j) = g%flay*g%rlay**(j - 2)*g%dscale(j)
        else
          g%b(j) = g%flay*g%rlay**(j - 2)*d_u
        end if
      end do
      ! Step 3: thicken an unstable lower material (layers jc..N, not N+1).
      do j = 1, n + 1
        kap(j) = g%k(j)/(g%rho(j)*g%c(j))
      end do
      jc = min(g%ic2, n)
      if (jc <= n - 2) then
        sj = safety(g%b(jc), g%dt, kap(jc))
        if (sj < arc3) then
          g%thickened = .true.
          g%s_thick = sj
          do j = jc, n
            g%b(j) = g%rlay**(j - jc)*sqrt(convf*2.0_dp*g%dt*kap(j))
          end do
        end if
      end if
    end if

    do j = 1, n + 1
      kap(j) = g%k(j)/(g%rho(j)*g%c(j))
    end do
    ! Step 4: centre depths; surface at z = 0 between layers 1 and 2.
    g%z(1) = -g%b(1)/2.0_dp
    do j = 2, n + 1
      g%z(j) = g%z(j - 1) + (g%b(j) + g%b(j - 1))/2.0_dp
    end do
    g%cond_s = g%k(2)/g%z(2)

    ! Physics 2.3: safety factors, stability test, doubling groups.
    smin = huge(1.0_dp)
    lm = 2
    do j = 2, n
      g%s(j) = safety(g%b(j), g%dt, kap(j))
      if (g%s(j) < smin) then
        smin = g%s(j)
        lm = j
      end if
    end do
    if (.not. (smin >= arc3)) then     ! NaN-safe
      status = KRC_E_UNSTABLE
      write (message, '(a,i0,a,f12.4,a,f12.4,a)') 'layer ', lm, ' stability factor ', smin, &
        ' < ARC3 = ', arc3, ': increase FLAY or N2 (time steps per sol), or lower RLAY'
      call squeeze(message)
      return
    end if
    mmin(n) = g%s(n)
    do j = n - 1, 2, -1
      mmin(j) = min(g%s(j), mmin(j + 1))
    end do
    call doubling(g, mmin, convf)

    ! Physics 2.2: coefficients with each layer's own time step.
    call coefficients(g)

    ! Time-doubling fraction: sum over layers 2..N of 2^-g, over N-1 (print).
    ssum = 0.0_dp
    do j = 2, n
      ssum = ssum + 1.0_dp/real(2**g%lev(j), dp)
    end do
    g%tdfrac = ssum/real(n - 1, dp)
  end subroutine grid_build

  !> Safety factor s = b^2/(2 dt kappa) (physics 2.3).
  pure real(dp) function safety(b, dt, kap) result(s)
    real(dp), intent(in) :: b, dt, kap
    s = b*b/(2.0_dp*dt*kap)
  end function safety

  !> Time-doubling groups (physics 2.3).  mmin(j) = min over i >= j of s_i.
  subroutine doubling(g, mmin, convf)
    type(grid_t), intent(inout) :: g
    real(dp), intent(in) :: mmin(:), convf
    integer :: km, kk, nk, j
    real(sp) :: xl

    ! KM = min(14, floor(log2(N2) + 0.001)) - 1 in single precision.
    xl = log(real(g%n2, sp))/log(2.0_sp) + 0.001_sp
    km = min(MAXBOT, int(xl)) - 1
    kk = 0
    nk = g%n2
    g%glast = 0
    g%glast(-1) = 1
    do j = 2, g%n1
      if (kk < km .and. j > 3 .and. mod(nk, 2) == 0) then
        if (mmin(j) > 2.0_dp*real(2**kk, dp)*convf) then
          g%glast(kk) = j - 1
          kk = kk + 1
          nk = nk/2
        end if
      end if
      g%lev(j) = kk
    end do
    g%glast(kk) = g%n1
    g%kdbl = kk
    g%ngroups = kk + 1
    g%lev(1) = 0
    g%lev(g%n1 + 1) = kk
  end subroutine doubling

  !> F1, F2, F3 of the T-constant scheme and the T-dependent set-up terms
  !> (physics 2.2 and 8), each layer with its own time step 2^g dt.
  subroutine coefficients(g)
    type(grid_t), intent(inout) :: g
    integer :: j
    real(dp) :: dtj

    do j = 2, g%n1
      dtj = g%dt*real(2**g%lev(j), dp)
      g%f1(j) = 2.0_dp*dtj/(g%rho(j)*g%c(j)*(g%b(j)*g%b(j)))*g%k(j)/ &
                (1.0_dp + g%b(j + 1)*g%k(j)/(g%b(j)*g%k(j + 1)))
      g%f3(j) = (g%b(j)/g%k(j) + g%b(j + 1)/g%k(j + 1))/(g%b(j)/g%k(j) + g%b(j - 1)/g%k(j - 1))
      g%f2(j) = -1.0_dp - g%f3(j)
      g%f1t(j) = 2.0_dp*dtj/(g%rho(j)*(g%b(j)*g%b(j)))
      g%rb(j) = g%b(j + 1)/g%b(j)
    end do
  end subroutine coefficients

  !> Zone-table grid (physics 1.3).
  subroutine zone_layers(fd, nzone, zone, rk_u, rc_u, rk_l, rc_l, sja, g, status, message)
    real(dp), intent(in) :: fd(:)
    integer, intent(in) :: nzone
    real(dp), intent(in) :: zone(:, :), rk_u, rc_u, rk_l, rc_l, sja
    type(grid_t), intent(inout) :: g
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message

    integer :: kz, n, j, nl, i, mcode, mt
    real(dp) :: rho, kk, cc, kap, dz, h, delta, dbot, f, xn, cn, q, rl

    status = KRC_OK
    message = ' '
    n = g%n1
    rl = g%rlay
    if (nzone < 1) return
    if (allocated(g%zid)) deallocate (g%zid)
    allocate (g%zid(n + 1))
    g%zid = 0
    dbot = 0.0_dp
    j = 1
    g%ic2 = 999
    do kz = 1, nzone
      ! Material of the zone (formats 1.12).
      rho = zone(2, kz)
      if (rho <= 0.0_dp) then
        if (nint(rho) == -2) then
          rho = fd(F_DENS2)
        else
          rho = fd(F_DENS)
        end if
      end if
      mt = 0
      if (zone(3, kz) <= 0.0_dp) then
        mcode = nint(zone(4, kz))
        select case (mcode)
        case (1)
          kk = rk_u; cc = rc_u
          if (g%lkoft) mt = 1
        case (2)
          kk = rk_l; cc = rc_l
          if (g%lkoft) mt = 2
        case (3)
          if (g%tg <= 0.0_dp) g%tg = global_tg(fd, sja)
          kk = kt_poly(g%cck(:, 1), g%tg); cc = kt_poly(g%ccp(:, 1), g%tg); mt = 1
        case (4)
          if (g%tg <= 0.0_dp) g%tg = global_tg(fd, sja)
          kk = kt_poly(g%cck(:, 2), g%tg); cc = kt_poly(g%ccp(:, 2), g%tg); mt = 2
        case default
          status = KRC_E_INPUT
          write (message, '(a,i0,a,i0,a)') 'zone ', kz, ': material pointer ', mcode, &
            ' not in 1..4'
          return
        end select
      else
        kk = zone(3, kz)
        cc = zone(4, kz)
      end if
      if (rho <= 0.0_dp .or. kk <= 0.0_dp .or. cc <= 0.0_dp) then
        status = KRC_E_INPUT
        write (message, '(a,i0,a)') 'zone ', kz, ': density, conductivity and specific heat must be > 0'
        return
      end if
      kap = kk/(rho*cc)
      dz = sqrt(kap*g%ps/PI_K)
      if (kz < nzone) then
        h = zone(1, kz)
        delta = h/dz
      else
        cn = geometric_sum(rl, n - 1)
        delta = cn*g%flay - dbot
        h = delta*dz
      end if
      if (rl > 1.0_dp) then
        f = g%flay*rl**geo_count(dbot/g%flay, rl)
        xn = geo_count(delta/f, rl)
      else
        xn = delta/g%flay
      end if
      nl = nint(xn)
      nl = max(1, min(nl, n - j))
      cn = geometric_sum(rl, nl)
      q = h/cn
      if (kz == 2) g%ic2 = j + 1
      do i = 1, nl
        j = j + 1
        g%zid(j) = kz
        g%b(j) = q
        g%k(j) = kk; g%rho(j) = rho; g%c(j) = cc; g%dscale(j) = dz; g%mat(j) = mt
        dbot = dbot + q/dz
        q = q*rl
      end do
      if (j >= n) exit
    end do
    if (j < n) then
      status = KRC_E_INPUT
      write (message, '(a,i0,a,i0,a)') 'zone table fills only ', j, ' of N1 = ', n, ' layers'
      return
    end if
    ! Layer 1 copies layer 2, layer N+1 copies layer N.
    g%k(1) = g%k(2); g%rho(1) = g%rho(2); g%c(1) = g%c(2); g%dscale(1) = g%dscale(2)
    g%mat(1) = g%mat(2)
    g%b(1) = g%b(2)/rl
    g%k(n + 1) = g%k(n); g%rho(n + 1) = g%rho(n); g%c(n + 1) = g%c(n)
    g%dscale(n + 1) = g%dscale(n); g%mat(n + 1) = g%mat(n)
    g%b(n + 1) = g%b(n)*rl
    g%lkoft = any(g%mat > 0)
  end subroutine zone_layers

  !> C_n = sum_{m=0}^{n-1} r^m, accumulated term by term with the power as a
  !> running product: this order reproduces KRC's last bits (physics 1.2, 1.3).
  pure real(dp) function geometric_sum(r, n) result(cn)
    real(dp), intent(in) :: r
    integer, intent(in) :: n
    real(dp) :: term
    integer :: m
    cn = 0.0_dp
    term = 1.0_dp
    do m = 0, n - 1
      cn = cn + term
      term = term*r
    end do
  end function geometric_sum

  !> G(x, r) = ln(1 + x(r - 1))/ln r: geometric layers to reach x first-layer
  !> units (physics 1.3).
  pure real(dp) function geo_count(x, r) result(v)
    real(dp), intent(in) :: x, r
    v = log(1.0_dp + x*(r - 1.0_dp))/log(r)
  end function geo_count

  !> Remove the runs of blanks that fixed-width numeric edits leave.
  pure subroutine squeeze(text)
    character(len=*), intent(inout) :: text
    integer :: i, j
    character(len=len(text)) :: out
    out = ' '
    j = 0
    do i = 1, len_trim(text)
      if (text(i:i) == ' ' .and. j > 0) then
        if (out(j:j) == ' ') cycle
      end if
      j = j + 1
      out(j:j) = text(i:i)
    end do
    text = out
  end subroutine squeeze

end module krc_grid

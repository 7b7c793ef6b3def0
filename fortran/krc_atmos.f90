!> The one-layer atmosphere of the thermal model and its CO2 frost: pressure
!> and opacities per latitude, the delta-Eddington insolation, the saturation
!> law, the atmosphere/frost start and the seasonal pressure (KPREF).
!>
!> Spec: ../shared/spec/krc-physics.md sections 4.4 (diffuse, twilight), 5.1
!> (equilibrium with an atmosphere), 6 (atmosphere), 7 (frost), 9 (single-
!> precision traps).  The time stepping that uses these values is in
!> krc_season.  Pure set-up code: no state between calls.
module krc_atmos
  use krc_constants, only: dp, sp, PI_K, PI_X, R_K, R_GAS, SIGMA_SB
  use krc_insolation, only: photo_t, photo_factor
  implicit none
  private

  public :: atm_t, atm_latitude, delta_eddington, sat_temp, atm_insolation, atm_equilibrium, &
            viking_factor, TAU_EFF_FACTOR

  !> tau_e / tau_IR: the hemispheric-absorption fit with its clamp inverted,
  !> 1.50307 - 0.121687 ln(0.0168455), in double (physics 6.2).
  real(dp), parameter :: TAU_EFF_FACTOR = 1.50307_dp - 0.121687_dp*log(0.0168455_dp)
  !> Largest exponent argument of the delta-Eddington routine (physics 6.3).
  real(dp), parameter :: EXP_LIMIT = 460.51_dp

  !> Atmosphere and frost values of one latitude for one season.
  type :: atm_t
    real(dp) :: p = 0        !< local surface pressure, Pa
    real(dp) :: fp = 1       !< pressure factor exp(-ELEV/H)
    real(dp) :: tau_vis = 0  !< visible opacity at the local pressure
    real(dp) :: tau_ir = 0   !< zenith IR opacity
    real(dp) :: tau_eff = 0  !< hemispheric IR opacity tau_e (physics 6.2)
    real(dp) :: beta = 0     !< hemispheric IR absorption 1 - exp(-tau_e)
    real(dp) :: scaleh = 0   !< scale height, km
    real(dp) :: tf = 1       !< surface frost point, K
    real(dp) :: tcloud = 1   !< condensation temperature one scale height up, K
    real(dp) :: afnow = 0    !< thick-frost albedo of the season
    real(dp) :: ca = 0       !< atmosphere heat capacity per area, J m-2 K-1
    real(dp) :: mu_lim = 0   !< daytime threshold on cos i0
  end type atm_t

  ! Physics 7.5: five-harmonic fits of the Viking-lander daily-mean pressure
  ! (Tillman et al. 1993): VL1 year 1, VL1 year 2, VL2; mean (mbar), amplitudes
  ! (mbar) and phases (degrees), all single precision.
  real(sp), parameter :: VK_MEAN(3) = [7.936_sp, 7.942_sp, 8.663_sp]
  real(sp), parameter :: VK_AMP(5, 3) = reshape([ &
    0.661_sp, 0.574_sp, 0.113_sp, 0.065_sp, 0.014_sp, &
    0.658_sp, 0.557_sp, 0.096_sp, 0.056_sp, 0.015_sp, &
    0.798_sp, 0.613_sp, 0.114_sp, 0.063_sp, 0.018_sp], [5, 3])
  real(sp), parameter :: VK_PHASE(5, 3) = reshape([ &
    91.96_sp, -129.23_sp, -66.20_sp, -4.04_sp, 25.60_sp, &
    91.37_sp, -131.80_sp, -75.58_sp, -8.78_sp, 24.22_sp, &
    93.59_sp, -131.37_sp, -67.50_sp, -17.19_sp, 98.84_sp], [5, 3])
  !> Mars year (days) and the curve's epoch, days after J2000.0 (Ls ~ 330).
  real(sp), parameter :: VK_YEAR = 686.9957_sp, VK_EPOCH = 94.438_sp

contains

  !> Normalised Viking-lander pressure V(t) for a date in days from J2000.0
  !> (physics 7.5).  Every step is single precision in the spec's order; the
  !> result is widened exactly to double.  PZREF = PTOTAL*V.
  pure real(dp) function viking_factor(djul) result(v)
    real(dp), intent(in) :: djul
    real(sp) :: t4, a, s, amp(5), phase(5), pi4, d2r, q, f, p, vs
    integer :: i, j

    do i = 1, 5
      a = 0.0_sp
      s = 0.0_sp
      do j = 1, 3
        a = a + VK_AMP(i, j)/VK_MEAN(j)
        s = s + VK_PHASE(i, j)
      end do
      amp(i) = a/3.0_sp
      phase(i) = s/3.0_sp
    end do
    pi4 = acos(-1.0_sp)
    d2r = pi4/180.0_sp
    t4 = real(djul, sp)
    if (t4 < VK_EPOCH) then
      q = (VK_EPOCH - t4)/VK_YEAR
      t4 = t4 + real(int(q + 1.0_sp), sp)*VK_YEAR
    end if
    f = (t4 - VK_EPOCH)/VK_YEAR
    f = mod(f, 1.0_sp)
    p = (2.0_sp*pi4)*f
    vs = 1.0_sp
    do i = 1, 5
      vs = vs + amp(i)*sin(real(i, sp)*p + phase(i)*d2r)
    end do
    v = real(vs, dp)
  end function viking_factor

  !> Saturation temperature of the condensing gas, ln P = a - b/T (physics 7.1).
  pure real(dp) function sat_temp(a, b, p) result(t)
    real(dp), intent(in) :: a, b, p
    real(dp) :: pp
    pp = p
    if (pp <= 0.0_dp) pp = 1.0_dp
    t = b/(a - log(pp))
  end function sat_temp

  !> Per-latitude set-up (physics 6.1, 6.2, 7.1, 7.2).  tam: mean atmosphere
  !> temperature for the scale height; pzref, pgas: zero-elevation total and
  !> condensable pressures of the season; cbar_s: daily-mean cos i0 times S.
  !> clim (optional): dust and ice IR opacities of the climate file
  !> (KVTAU = 2, krc-farfield-climate.md B3) in place of the deck's TAUD.
  pure function atm_latitude(fd, lvft, lvfa, pzref, pgas, elev, tam, cbar_s, clim) result(a)
    real(dp), intent(in) :: fd(:), pzref, pgas, elev, tam, cbar_s
    logical, intent(in) :: lvft, lvfa
    real(dp), intent(in), optional :: clim(2)
    type(atm_t) :: a
    real(dp) :: h, ptotal, taud, prat

    ptotal = fd(12)
    taud = fd(17)
    ! Scale height in km: T R/(AMW GRAV) (physics 6.1).
    h = tam*R_GAS/(fd(10)*fd(47))
    a%scaleh = h
    a%fp = exp(-elev/h)
    a%p = pzref*a%fp
    ! Opacities scale with P/PTOTAL, not P/PZREF (physics 6.1); no ice here.
    ! tau_IR through the ratio P/PTOTAL: this grouping gives KRC's last bits.
    prat = a%p/ptotal
    a%tau_vis = taud*a%p/ptotal
    a%tau_ir = (fd(9) + taud*fd(19))*prat
    if (present(clim)) then
      ! B3: tau_d = dust/TAURAT (visible); ice adds to both opacities.
      taud = clim(1)/fd(19)
      a%tau_vis = taud*a%p/ptotal + clim(2)/fd(19)
      a%tau_ir = (fd(9) + taud*fd(19))*prat + clim(2)
    end if
    a%tau_eff = TAU_EFF_FACTOR*a%tau_ir
    a%beta = 1.0_dp - exp(-a%tau_eff)
    ! Frost point and cloud point (physics 7.1).
    if (lvft) then
      a%tf = sat_temp(fd(11), fd(32), a%fp*pgas)
    else
      a%tf = fd(25)
    end if
    a%tcloud = sat_temp(fd(11), fd(32), a%fp*pgas/real(2.71828_sp, dp))
    ! Thick-frost albedo (physics 7.2).
    if (lvfa) then
      a%afnow = fd(29) + fd(30)*cbar_s
    else
      a%afnow = fd(27)
    end if
    ! Heat capacity x column mass, ATMCP*(P/GRAV): KRC's grouping (last bits).
    a%ca = fd(48)*(max(a%p, 1.0_dp)/fd(47))
    ! Daytime threshold r4(max(tau/700, 0.001)) (physics 4.2, 9).
    a%mu_lim = real(real(max(a%tau_vis/700.0_dp, 0.001_dp), sp), dp)
  end function atm_latitude

  !> Delta-Eddington two-stream solution for a layer of opacity tau over a
  !> Lambert surface of albedo alb, per unit irradiance normal to the beam
  !> (physics 6.3).  Returns the collimated transmission tc, the upward
  !> diffuse flux at the top up and the downward diffuse flux at the bottom
  !> down (both already times pi_K).
  pure subroutine delta_eddington(w0, g0, alb, mu, tau, tc, up, down)
    real(dp), intent(in) :: w0, g0, alb, mu, tau
    real(dp), intent(out) :: tc, up, down
    real(dp) :: g, w, f, gp, taup, wp, xk, p, f0, phi, alpha, beta, v1, v2, v3, v4, v5, v6
    real(dp) :: em, ep, det, c1, c2, i0t, i1t, i0b, i1b, x
    real(dp), parameter :: TWO3 = 2.0_dp/3.0_dp

    g = min(0.999_dp, max(-0.999_dp, g0))
    w = min(w0, 1.0_dp - 1.0e-8_dp)
    f = g*g
    gp = (g - f)/(1.0_dp - f)
    taup = (1.0_dp - f*w)*tau
    wp = (1.0_dp - f)*w/(1.0_dp - f*w)
    x = taup/mu
    if (x < EXP_LIMIT) then
      tc = exp(-x)
    else
      tc = 0.0_dp
    end if
    xk = sqrt(3.0_dp*(1.0_dp - wp)*(1.0_dp - wp*gp))
    p = sqrt(3.0_dp*(1.0_dp - wp)/(1.0_dp - wp*gp))
    f0 = 1.0_dp/PI_X
    ! kappa^2 mu^2 is squared as a product, (kappa mu)^2: KRC's last bits.
    phi = 3.0_dp*wp*f0*mu/(4.0_dp*(1.0_dp - (xk*mu)**2))
    alpha = phi*mu*(1.0_dp + gp*(1.0_dp - wp))
    beta = phi*(1.0_dp + 3.0_dp*gp*(1.0_dp - wp)*(mu*mu))   ! mu^2 first (KRC's bits)
    v1 = 1.0_dp + TWO3*p
    v2 = 1.0_dp - TWO3*p
    v3 = alpha + TWO3*beta
    x = xk*taup
    if (x < EXP_LIMIT) then
      em = exp(-x)
      ep = exp(x)
      v4 = (1.0_dp - alb - TWO3*(1.0_dp + alb)*p)*em
      v5 = (1.0_dp - alb + TWO3*(1.0_dp + alb)*p)*ep
      v6 = ((1.0_dp - alb)*alpha - TWO3*(1.0_dp + alb)*beta + alb*mu*f0)*tc
      det = v1*v5 - v2*v4
      c1 = (v3*v5 - v2*v6)/det
      c2 = (v1*v6 - v3*v4)/det
    else
      em = 0.0_dp
      ep = 0.0_dp
      c1 = v3/v1
      c2 = 0.0_dp
    end if
    i0t = c1 + c2 - alpha
    i1t = p*(c1 - c2) - beta
    i0b = c1*em + c2*ep - alpha*tc
    i1b = p*(c1*em - c2*ep) - beta*tc
    up = PI_K*(i0t - TWO3*i1t)
    down = PI_K*(i0b + TWO3*i1b)
  end subroutine delta_eddington

  !> Per-step atmosphere terms of one latitude (physics 4.4, 6.3): the
  !> collimated transmission f_coll (0 at night), the diffuse flux at the
  !> bottom F_down evaluated at the twilight cosine mu3, and the solar
  !> heating fraction hfrac of the atmosphere.  alb_last carries the
  !> horizontal albedo of the most recent daytime step (also across
  !> latitudes and seasons, physics 4.4).
  pure subroutine atm_insolation(n2, cosi0, a, fd, photo, frosted, f_coll, f_down, hfrac, &
                                 alb_last)
    integer, intent(in) :: n2
    real(dp), intent(in) :: cosi0(n2), fd(:)
    type(atm_t), intent(in) :: a
    type(photo_t), intent(in) :: photo
    logical, intent(in) :: frosted
    real(dp), intent(out) :: f_coll(n2), f_down(n2), hfrac(n2)
    real(dp), intent(inout) :: alb_last
    real(dp) :: ftw, mutw, mu, mu3, albh, tc, up, down, tc3, up3
    integer :: n

    ftw = 90.0_dp/(90.0_dp + fd(20))
    mutw = cos((90.0_dp + fd(20))/R_K)
    do n = 1, n2
      mu = cosi0(n)
      f_coll(n) = 0.0_dp
      f_down(n) = 0.0_dp
      hfrac(n) = 0.0_dp
      if (mu > a%mu_lim) then
        if (frosted) then
          albh = a%afnow
        else
          albh = min(1.0_dp, max(0.0_dp, fd(1)*photo_factor(photo, mu)))
        end if
        alb_last = albh
        call delta_eddington(fd(18), fd(21), albh, mu, a%tau_vis, tc, up, down)
        f_coll(n) = tc
        hfrac(n) = mu - up - (1.0_dp - albh)*(down + mu*tc)
      end if
      if (mu > mutw) then
        mu3 = cos(ftw*acos(mu))
        if (mu3 > 1.0e-8_dp) then
          call delta_eddington(fd(18), fd(21), alb_last, mu3, a%tau_vis, tc3, up3, down)
          f_down(n) = down
        end if
      end if
    end do
  end subroutine atm_insolation

  !> First-season start with an atmosphere (physics 5.1): surface and
  !> atmosphere temperatures from the season's mean absorbed insolation
  !> ibar, mean atmospheric heating hbar (W m-2) and basal flow qg.
  pure subroutine atm_equilibrium(a, ibar, hbar, qg, s, taud, eps0, teq, ta)
    type(atm_t), intent(in) :: a
    real(dp), intent(in) :: ibar, hbar, qg, s, taud, eps0
    real(dp), intent(out) :: teq, ta
    real(dp) :: q, ta4, ts4
    q = hbar/a%beta
    ! The source's "< 0.01" reads as "< 1" in fixed form (physics 13 item 4).
    if (taud < 1.0_dp) q = taud*s/PI_K
    ta4 = (q + ibar + qg)/(SIGMA_SB*(2.0_dp - eps0*a%beta))
    ts4 = a%beta*ta4 + (ibar + qg)/(SIGMA_SB*eps0)
    teq = real(real(max(ts4, 1.0e4_dp), sp), dp)**0.25_dp
    teq = max(teq, a%tf)
    ! Fourth root as two square roots, not **0.25 (physics 5.1, 9): ladders
    ! a2 and a3 decided it (T_a of the first sol), a1-a7 and master agree.
    ta = sqrt(sqrt(ta4))
  end subroutine atm_equilibrium

end module krc_atmos

!> Keplerian orbit and seasonal geometry of the thermal model, plus the daily-
!> and annual-mean insolation helpers used for initial temperatures.
!>
!> Spec: ../shared/spec/krc-formats.md section 4 (PORB block, date <-> Ls),
!>       ../shared/spec/krc-physics.md sections 4.1, 4.6 and 9 (two values of pi).
!>
!> Precision rules (physics 9): the orbit code and the two mean-insolation
!> helpers use the EXACT pi (PI_X); only the obliquity R_K*BLIP handed to the
!> annual mean uses the truncated pi.  Every expression below is written in
!> the order of the spec, left to right, because that order reproduces the
!> stored Ls/SDEC/DAU of the reference program bit for bit.  Build with
!> -ffp-contract=off (no fused multiply-add).
module krc_orbit
  use krc_constants, only: dp, PI_X, R_K, NPORB
  implicit none
  private

  public :: orbit_geometry, ls_to_date, daily_mean_cosi, annual_mean_insol

  real(dp), parameter :: TWOPI = 2.0_dp*PI_X          ! exact doubling
  !> Radians -> degrees inside the orbit code (exact pi, formats 4.3 steps 5-6).
  real(dp), parameter :: R2D_X = 180.0_dp/PI_X
  !> Degrees -> radians inside the orbit code (exact pi, formats 4.4 step 1).
  real(dp), parameter :: D2R_X = PI_X/180.0_dp
  !> Degrees -> radians of the daily-mean helper: the 15-digit literal of
  !> physics 4.6 (differs from PI_X/180 in the last bits).
  real(dp), parameter :: D2R_W = 1.74532925199433e-2_dp

  !> Kepler solver limits (formats 4.3 step 2).
  real(dp), parameter :: KEP_TOL = 1.0e-9_dp
  integer, parameter :: KEP_MAXIT = 20

  ! PORB indices (formats 4.1)
  integer, parameter :: I_ECC = 6, I_SJA = 7, I_PER = 14, I_TJP = 15, &
                        I_TAV = 18, I_BFRM = 22

contains

  !> Date -> sub-solar latitude, heliocentric distance, Ls (formats 4.3,
  !> physics 4.1).  porb: the 30 PORB values; djul: days from J2000.0.
  !> Out: sdec [deg], dau [AU], subs = Ls [deg] in [0, 360].
  pure subroutine orbit_geometry(porb, djul, sdec, dau, subs)
    real(dp), intent(in)  :: porb(NPORB), djul
    real(dp), intent(out) :: sdec, dau, subs
    real(dp) :: ecc, sja, per, tjp, tav, dt, em, ea, x, y, sx, sy, u(3)

    ecc = porb(I_ECC); sja = porb(I_SJA); per = porb(I_PER)
    tjp = porb(I_TJP); tav = porb(I_TAV)

    ! Step 1: M = (2*pi*dt)/P, then MOD (remainder keeps the sign of dt).
    ! Order (2pi*dt)/P matters: 2pi*(dt/P) is off by up to 4e-13 deg in Ls.
    dt = djul - tjp
    em = mod(TWOPI*dt/per, TWOPI)
    ! Step 2: eccentric anomaly.
    ea = kepler(em, ecc)
    ! Step 3: body position in the orbit frame (z = 0).
    x = sja*(cos(ea) - ecc)
    y = sja*sqrt(1.0_dp - ecc*ecc)*sin(ea)
    ! Step 4: Sun direction from the body.
    sx = -x
    sy = -y
    ! Step 5: Ls = (atan2 - TAV) in degrees, one wrap into [0, 360].
    subs = (atan2(sy, sx) - tav)*R2D_X
    if (subs < 0.0_dp) then
      subs = subs + 360.0_dp
    else if (subs > 360.0_dp) then
      subs = subs - 360.0_dp
    end if
    ! Step 6: rotate into the seasonal frame; delta and DAU from u.
    u = to_body_frame(porb, sx, sy)
    call dec_dist(u, sdec, dau)
  end subroutine orbit_geometry

  !> Ls -> date in days from J2000.0 (krc-onepoint.md 3, formats 4.4): the
  !> occurrence within half an orbit of the perihelion date TJP, in closed
  !> form with the full pi and the spec's order of operations (a division by
  !> R2D; R2D*M, then /360, then *P, then +TJP).  Used for LKEY.
  pure real(dp) function ls_to_date(porb, ls) result(t)
    real(dp), intent(in) :: porb(NPORB), ls
    real(dp) :: ecc, nu, ea, em

    ecc = porb(I_ECC)
    nu = (ls - 180.0_dp)/R2D_X + porb(I_TAV)
    ea = atan2(sqrt(1.0_dp - ecc*ecc)*sin(nu), ecc + cos(nu))
    em = ea - ecc*sin(ea)
    t = porb(I_PER)*((R2D_X*em)/360.0_dp) + porb(I_TJP)
  end function ls_to_date

  !> Daily mean of cos(incidence) on a horizontal surface, Ward (1974),
  !> including the 1/pi factor, floored at 1e-6 (physics 4.6).
  !> lat, dec in degrees; conversion with d2r = 1.74532925199433e-2 and the
  !> exact pi for the 1/pi.
  pure real(dp) function daily_mean_cosi(lat, dec) result(cbar)
    real(dp), intent(in) :: lat, dec
    real(dp) :: phi, del, arg, eta

    phi = lat*D2R_W
    del = dec*D2R_W
    if (abs(lat) < 90.0_dp - abs(dec)) then
      ! Sun rises and sets.  Clamp only guards against a rounding excursion
      ! of |arg| beyond 1 (which would give NaN); it is inactive otherwise.
      arg = -tan(del)*tan(phi)
      arg = max(-1.0_dp, min(1.0_dp, arg))
      eta = acos(arg)
      cbar = (eta*sin(del)*sin(phi) + sin(eta)*cos(del)*cos(phi))/PI_X
    else if (lat >= 90.0_dp - dec .or. lat <= -90.0_dp - dec) then
      cbar = sin(del)*sin(phi)          ! polar day
    else
      cbar = 0.0_dp                     ! polar night
    end if
    cbar = max(cbar, 1.0e-6_dp)
  end function daily_mean_cosi

  !> Annual-mean insolation fraction Y (physics 4.6, used by the airless
  !> first-season equilibrium of physics 5.1).  lat in degrees, blip = PORB
  !> obliquity in radians.  The obliquity is first converted to degrees with
  !> the TRUNCATED pi, eps_o = R_K*BLIP (physics 9); every other angle uses
  !> the exact pi (degrees -> radians as PI_X/180).
  !> Y = sum_{i=0..360} sqrt(1 - (a - b*sin(i*pi/180))**2) / (360*pi),
  !> a = sin|lat|*cos(eps_o), b = cos|lat|*sin(eps_o); 361 terms, end points
  !> counted fully, summed in increasing i.
  pure real(dp) function annual_mean_insol(lat, blip) result(y)
    real(dp), intent(in) :: lat, blip
    real(dp) :: eps_deg, eps, phi, a, b, w, s
    integer :: i

    eps_deg = R_K*blip
    eps = eps_deg*D2R_X
    phi = abs(lat)*D2R_X
    a = sin(phi)*cos(eps)
    b = cos(phi)*sin(eps)
    s = 0.0_dp
    do i = 0, 360
      ! The angle is i degrees times PI_X/180, not 2 pi i/360 (equal in exact
      ! arithmetic; physics 4.6): ladder g9 (BLIP 0.44 rad, latitudes +-45)
      ! decided it, the BLIP = 0 decks cannot tell the two apart.
      w = a - b*sin(real(i, dp)*D2R_X)
      ! max() only guards against 1 - w*w < 0 from rounding (NaN otherwise).
      s = s + sqrt(max(0.0_dp, 1.0_dp - w*w))
    end do
    y = s/(360.0_dp*PI_X)
  end function annual_mean_insol

  ! ---------------------------------------------------------------- helpers

  !> Solve E - e*sin(E) = M by Newton (formats 4.3 step 2):
  !> E0 = M + e*sin(M) + 0.5*e**2*sin(2M);
  !> E <- E + (M - E + e*sin(E))/(1 - e*cos(E)) until the step is <= 1e-9,
  !> at most 20 steps (no error if not converged, as in the reference).
  pure real(dp) function kepler(em, ecc) result(ea)
    real(dp), intent(in) :: em, ecc
    real(dp) :: de
    integer :: it

    ea = em + ecc*sin(em) + 0.5_dp*ecc*ecc*sin(2.0_dp*em)
    do it = 1, KEP_MAXIT
      de = (em - ea + ecc*sin(ea))/(1.0_dp - ecc*cos(ea))
      ea = ea + de
      if (abs(de) <= KEP_TOL) exit
    end do
  end function kepler

  !> u = R*s with R(r,c) = BFRM(r + 3(c-1)) (formats 4.1), s = (sx, sy, 0).
  !> The z term of s is zero and is omitted (adding R*0 changes nothing).
  pure function to_body_frame(porb, sx, sy) result(u)
    real(dp), intent(in) :: porb(NPORB), sx, sy
    real(dp) :: u(3)
    integer :: r

    do r = 1, 3
      u(r) = porb(I_BFRM - 1 + r)*sx + porb(I_BFRM + 2 + r)*sy
    end do
  end function to_body_frame

  !> delta = 90 - (pi/2 - atan2(u_z, sqrt(u_x**2 + u_y**2)))*180/pi, in exactly
  !> this form (physics 4.1 step 5); DAU = |u|.
  pure subroutine dec_dist(u, sdec, dau)
    real(dp), intent(in)  :: u(3)
    real(dp), intent(out) :: sdec, dau

    sdec = 90.0_dp - (0.5_dp*PI_X - atan2(u(3), sqrt(u(1)*u(1) + u(2)*u(2))))*R2D_X
    dau = sqrt(u(1)*u(1) + u(2)*u(2) + u(3)*u(3))
  end subroutine dec_dist

end module krc_orbit

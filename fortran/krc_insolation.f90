!> Insolation of one latitude for one season: sun vector per time step,
!> incidence on the (sloped) target, photometric albedo, bounce, and the
!> absorbed and incident fluxes.
!>
!> Spec: ../shared/spec/krc-physics.md sections 4.2 (sun vector and
!> incidence), 4.3 (flux scaling), 4.4 (diffuse, bounce, twilight), 4.5
!> (albedos and photometric functions), 9 (two values of pi, r4 traps).
!>
!> The atmosphere (delta-Eddington diffuse flux, collimated transmission,
!> solar heating) is a later addition: sun_geom_t carries the per-step
!> geometry so that an atmosphere routine can fill f_coll and the diffuse
!> flux F_down before absorbed_flux combines them.
module krc_insolation
  use krc_constants, only: dp, sp, PI_K, R_K
  implicit none
  private

  public :: photo_t, photo_setup, photo_factor, sky_factor, sun_geometry, sun_fluxes, target_normal, &
            DAY_MU_AIRLESS

  !> Daytime threshold on cos i0 without atmosphere: r4(0.001) (physics 9).
  real(dp), parameter :: DAY_MU_AIRLESS = real(0.001_sp, dp)

  !> Photometric law (physics 4.5) and spherical-albedo factor.
  type :: photo_t
    integer :: law = 0          !< 0 Lambert, 1 Lommel-Seeliger, 2 Minnaert, 3 Keihm
    real(dp) :: phog = 0.0_dp   !< PHOG (FD 38)
    real(dp) :: ps = 1.0_dp     !< spherical-albedo factor p_s
  end type photo_t

contains

  !> Select the photometric law from PHOG (physics 4.5).
  pure function photo_setup(phog) result(p)
    real(dp), intent(in) :: phog
    type(photo_t) :: p
    p%phog = phog
    if (phog == 0.0_dp) then
      p%law = 0
      p%ps = 1.0_dp
    else if (phog <= -1.0_dp) then
      p%law = 1
      p%ps = real(1.3333333_sp, dp)            ! r4(1.3333333), physics 9
    else if (phog < 0.0_dp) then
      p%law = 2
      p%ps = 2.0_dp/(1.0_dp - phog)            ! 2/(1+nu), nu = -PHOG
    else
      p%law = 3
      p%ps = real(1.05944_sp, dp) + real(0.05944_sp, dp)*phog   ! physics 9
    end if
  end function photo_setup

  !> Photometric factor P_h(mu) of the law (physics 4.5); mu > 0.
  pure real(dp) function photo_factor(p, mu) result(ph)
    type(photo_t), intent(in) :: p
    real(dp), intent(in) :: mu
    real(dp) :: th, th3, th8, a3, a8
    select case (p%law)
    case (1)
      ph = (1.0_dp + mu*log(mu/(1.0_dp + mu)))/0.30685282_dp
    case (2)
      ph = mu**(-p%phog - 1.0_dp)
    case (3)
      th = acos(mu)
      th3 = th*th*th
      th8 = th*th
      th8 = th8*th8
      th8 = th8*th8
      a3 = 4.0_dp/PI_K
      a3 = a3*a3*a3
      a8 = 2.0_dp/PI_K
      a8 = a8*a8
      a8 = a8*a8
      a8 = a8*a8
      ph = 1.0_dp + p%phog*a3*th3 + (0.14_dp/0.12_dp)*a8*th8
    case default
      ph = 1.0_dp
    end select
  end function photo_factor

  !> Sky fraction Omega (physics 3.1): 1 flat, (1 + cos SLOPE)/2 for a
  !> regional slope, sin^2(90 - SLOPE) for a pit (SLOAZI <= -360).
  pure real(dp) function sky_factor(slope, sloazi) result(om)
    real(dp), intent(in) :: slope, sloazi
    real(dp) :: s
    if (slope == 0.0_dp) then
      om = 1.0_dp
    else if (sloazi <= -360.0_dp) then
      s = sin((90.0_dp - slope)/R_K)
      om = s*s
    else
      om = (1.0_dp + cos(slope/R_K))/2.0_dp
    end if
  end function sky_factor

  !> Per-step geometry for one latitude (physics 4.2): cos i0 on the
  !> horizontal, cos i2 on the target.  sdec, alat, slope, sloazi in degrees.
  !> Hour angle from midnight at mid-step: h_n = (n - 1/2)*2 pi_K/N2.
  pure subroutine sun_geometry(sdec, alat, slope, sloazi, n2, cosi0, cosi2)
    real(dp), intent(in) :: sdec, alat, slope, sloazi
    integer, intent(in) :: n2
    real(dp), intent(out) :: cosi0(n2), cosi2(n2)
    real(dp) :: dd, cd, sd, rl, cl, sl, u(3), v(3), h, hv(3), dh
    integer :: n

    dd = sdec/R_K
    cd = cos(dd)
    sd = sin(dd)
    rl = alat/R_K
    cl = cos(rl)
    sl = sin(rl)
    u = [-cl, 0.0_dp, sl]
    v = u
    if (slope /= 0.0_dp) v = target_normal(u, slope, sloazi)
    dh = 2.0_dp*PI_K/real(n2, dp)
    do n = 1, n2
      h = (real(n, dp) - 0.5_dp)*dh
      hv(1) = cos(h)*cd
      hv(2) = -sin(h)*cd
      hv(3) = sd
      ! dot products summed in component order x, y, z (physics 4.2)
      cosi0(n) = hv(1)*u(1) + hv(2)*u(2) + hv(3)*u(3)
      if (slope /= 0.0_dp) then
        cosi2(n) = hv(1)*v(1) + hv(2)*v(2) + hv(3)*v(3)
      else
        cosi2(n) = cosi0(n)
      end if
    end do
  end subroutine sun_geometry

  !> Target normal (physics 4.2): rotate the vertical U about y by +SLOPE,
  !> then about U by -SLOAZI (Rodrigues: axis projection, perpendicular
  !> part, cross product).
  pure function target_normal(u, slope, sloazi) result(v)
    real(dp), intent(in) :: u(3), slope, sloazi
    real(dp) :: v(3), w(3), ax(3), par(3), perp(3), cr(3), cs, ss, ca, sa, pk
    cs = cos(slope/R_K)
    ss = sin(slope/R_K)
    w(1) = u(1)*cs + u(3)*ss
    w(2) = u(2)
    w(3) = -u(1)*ss + u(3)*cs
    ca = cos(-sloazi/R_K)
    sa = sin(-sloazi/R_K)
    ! The rotation axis is U divided by its computed length (1 only to
    ! round-off): a general Rodrigues rotation normalises its axis, and this
    ! division is what gives the original's last bits (ladder a9: without it
    ! n is off by 1-3 ulp; every other sloped reference deck is unchanged).
    ax = u/sqrt(u(1)*u(1) + u(2)*u(2) + u(3)*u(3))
    pk = ax(1)*w(1) + ax(2)*w(2) + ax(3)*w(3)
    par = pk*ax
    perp = w - par
    ! The cross product is taken with the perpendicular part, not with w
    ! (equal in exact arithmetic; this order reproduces KRC's last bits).
    cr(1) = ax(2)*perp(3) - ax(3)*perp(2)
    cr(2) = ax(3)*perp(1) - ax(1)*perp(3)
    cr(3) = ax(1)*perp(2) - ax(2)*perp(1)
    v = par + perp*ca + cr*sa
  end function target_normal

  !> Fluxes of one step set for an airless surface (physics 4.3-4.5, 3.1):
  !> qdir = cos i2 * F_coll * S on the target; qdif = (Df + B)*S;
  !> absorbed = (1 - a_n) qdir + (1 - a_s) qdif; downvis = qdir + qdif.
  !> f_down(n) is the diffuse flux at the bottom of the atmosphere per unit
  !> normal irradiance (0 without atmosphere), f_coll(n) the collimated
  !> transmission (1 by day without atmosphere).  alb0 = ALB (or A_fnow if
  !> the latitude starts the season frosted); frosted selects the frost
  !> albedo for the direct beam.
  pure subroutine sun_fluxes(n2, cosi0, cosi2, f_coll, f_down, s, alb0, afnow, frosted, photo, &
                             skyfac, slope, sloazi, mu_day, mu_tw, absorbed, downvis, qdir_o, qdif_o)
    integer, intent(in) :: n2
    real(dp), intent(in) :: cosi0(n2), cosi2(n2), f_coll(n2), f_down(n2)
    real(dp), intent(in) :: s, alb0, afnow, skyfac, slope, sloazi, mu_day, mu_tw
    logical, intent(in) :: frosted
    type(photo_t), intent(in) :: photo
    real(dp), intent(out) :: absorbed(n2), downvis(n2), qdir_o(n2), qdif_o(n2)
    real(dp) :: coslim, as, an, g1, qdir, qdif, df, bb, fc
    logical :: pit
    integer :: n

    pit = slope /= 0.0_dp .and. sloazi <= -360.0_dp
    coslim = 0.0_dp
    if (pit) coslim = cos((90.0_dp - slope)/R_K)
    as = photo%ps*alb0                      ! spherical albedo a_s = p_s A0
    do n = 1, n2
      fc = 0.0_dp
      if (cosi0(n) > mu_day) fc = f_coll(n)
      ! direct beam on the target
      if (cosi2(n) > coslim .and. cosi0(n) > 0.0_dp .and. fc > 0.0_dp) then
        qdir = cosi2(n)*fc*s
        if (frosted) then
          an = afnow
        else
          an = min(1.0_dp, max(0.0_dp, alb0*photo_factor(photo, cosi2(n))))
        end if
      else
        qdir = 0.0_dp
        an = alb0
      end if
      ! diffuse and bounce (physics 4.4); mu_tw = 0 without atmosphere
      qdif = 0.0_dp
      if (cosi0(n) > mu_tw) then
        df = skyfac*f_down(n)
        g1 = 1.0_dp
        if (pit) g1 = min(1.0_dp, (90.0_dp - acos(cosi0(n))*R_K)/slope)
        bb = (1.0_dp - skyfac)*as*(g1*(cosi0(n)*fc) + df)
        qdif = (df + bb)*s
      end if
      absorbed(n) = (1.0_dp - an)*qdir + (1.0_dp - as)*qdif
      downvis(n) = qdir + qdif
      qdir_o(n) = qdir
      qdif_o(n) = qdif
    end do
  end subroutine sun_fluxes

end module krc_insolation

!> Surface energy balance of bare ground: Newton iteration for the surface
!> temperature (physics 3.1).
!>
!> The absorbed flux A of the step comes in precomputed, so that the
!> atmosphere (Omega*eps*R_down), a planetary load or a far-field term can be
!> added by the caller without touching this routine.  The frost branch
!> (physics 3.2) will live next to it.
module krc_surface
  use krc_constants, only: dp, KRC_OK, KRC_E_BLOWUP
  implicit none
  private

  public :: surface_newton

  !> Guard against a non-terminating iteration (not in the reference, which
  !> stops only on convergence or blow-up); never reached in practice.
  integer, parameter :: MAXIT = 1000

contains

  !> Newton iteration for T_s (physics 3.1):
  !>   T3 = Ts*Ts*Ts;  W = A + C*(T2 - Ts) - (Omega eps sigma)*Ts*T3
  !>   delta = W/(C + 4 Omega eps sigma*T3);  Ts <- Ts + delta
  !> at least once, until |delta| < GGT; blow-up if Ts <= 0 or Ts > TBLOW
  !> after any iteration.  fac = Omega*eps*sigma, fac4 = 4*fac.
  !> heat returns C*(T2 - Ts) with the Ts from before the final correction
  !> (HEATMM, physics 3.1).  rfar: a far field's radiance onto the surface
  !> (krc-farfield-climate.md A3.4), added to W after it is formed; the
  !> caller then passes the full-hemisphere fac = eps sigma.
  pure subroutine surface_newton(a, cond, t2, fac, fac4, ggt, tblow, ts, heat, status, rfar)
    real(dp), intent(in) :: a, cond, t2, fac, fac4, ggt, tblow
    real(dp), intent(in), optional :: rfar
    real(dp), intent(inout) :: ts
    real(dp), intent(out) :: heat
    integer, intent(out) :: status
    real(dp) :: t3, w, del
    integer :: it

    status = KRC_OK
    heat = 0.0_dp
    do it = 1, MAXIT
      t3 = ts*ts*ts
      heat = cond*(t2 - ts)
      w = a + heat - fac*ts*t3
      if (present(rfar)) w = w + rfar
      del = w/(cond + fac4*t3)
      ts = ts + del
      if (ts <= 0.0_dp .or. ts > tblow .or. ts /= ts) then
        status = KRC_E_BLOWUP
        return
      end if
      if (abs(del) < ggt) return
    end do
    status = KRC_E_BLOWUP
  end subroutine surface_newton

end module krc_surface

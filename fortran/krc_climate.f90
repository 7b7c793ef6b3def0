!> The climate opacity file of KRC's change 8 24 (KVTAU = 2): dust and
!> water-ice zenith IR opacities on a 5 x 5 degree grid of Ls and latitude,
!> interpolated per season and latitude in single precision, with the
!> original's clamps (no wrap in Ls, latitudes beyond +82.5 use row 35).
!>
!> Spec: ../shared/spec/krc-farfield-climate.md Part B (B1 layout, B2
!> interpolation, B3 use).  The file itself is read by the caller (the bin5
!> C library) and arrives here as the float32 array D(72, 36, 2).
!> Pure code, no state.
module krc_climate
  use krc_constants, only: dp, sp
  implicit none
  private

  public :: climate_opacities, CLIM_NLS, CLIM_NLAT, CLIM_NK

  !> Columns (Ls = 5(i-1) deg), rows (latitude 5j - 92.5 deg), kinds (dust, ice).
  integer, parameter :: CLIM_NLS = 72, CLIM_NLAT = 36, CLIM_NK = 2

contains

  !> Dust and ice IR opacities at Ls and latitude (degrees) by B2: every
  !> constant and intermediate value float32, evaluated in the spec's order;
  !> the results are widened exactly to double.
  pure subroutine climate_opacities(d, ls, lat, dust, ice)
    real(sp), intent(in) :: d(CLIM_NLS, CLIM_NLAT, CLIM_NK)
    real(dp), intent(in) :: ls, lat
    real(dp), intent(out) :: dust, ice
    ! 72 - fl32(1.0001) and 36 - fl32(1.0001), both folded in float32.
    real(sp), parameter :: XMAX = real(CLIM_NLS, sp) - 1.0001_sp
    real(sp), parameter :: YMAX = real(CLIM_NLAT, sp) - 1.0001_sp
    real(sp) :: l, p, x, y, f, g, u, v, val(CLIM_NK)
    integer :: i, j, k

    l = real(ls, sp)
    p = real(lat, sp)
    x = mod(l, 360.0_sp)
    x = x/5.0_sp + 1.0_sp
    x = min(max(1.0_sp, x), XMAX)
    i = int(x)
    f = x - real(i, sp)
    y = (p + 90.0_sp)/5.0_sp + 0.5_sp
    y = min(max(1.0_sp, y), YMAX)
    j = int(y)
    g = y - real(j, sp)
    do k = 1, CLIM_NK
      u = (1.0_sp - f)*d(i, j, k) + f*d(i + 1, j, k)
      v = (1.0_sp - f)*d(i, j + 1, k) + f*d(i + 1, j + 1, k)
      val(k) = (1.0_sp - g)*u + g*v
    end do
    dust = real(val(1), dp)
    ice = real(val(2), dp)
  end subroutine climate_opacities

end module krc_climate

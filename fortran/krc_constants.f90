!> Constants, kinds and compile-time limits shared by the thermal model.
!> Physics facts: ../shared/spec/krc-physics.md section 9.
module krc_constants
  implicit none
  private

  public :: sum_in_order

  integer, parameter, public :: dp = kind(1.0d0)
  integer, parameter, public :: sp = kind(1.0)

  !> KRC's truncated pi (spec 9): skin depth, hour angle, degree<->radian of
  !> SDEC/latitude/SLOPE/SLOAZI, twilight, Keihm constants, T_g, ...
  real(dp), parameter, public :: PI_K = 3.14159265_dp
  real(dp), parameter, public :: R_K = 180.0_dp / PI_K
  !> The exact pi (spec 9): orbit code, daily/annual means, delta-Eddington.
  real(dp), parameter, public :: PI_X = 3.141592653589793_dp
  !> Stefan-Boltzmann constant and gas constant (spec 9).
  real(dp), parameter, public :: SIGMA_SB = 5.670367e-8_dp
  real(dp), parameter, public :: R_GAS = 8.3144598_dp
  !> Seconds per day (PERIOD, DELJUL are in days).
  real(dp), parameter, public :: SEC_PER_DAY = 86400.0_dp

  !> Sizes of the parameter arrays as stored in the KRC common (formats 3.3).
  integer, parameter, public :: NFD = 96, NID = 40, NLD = 20
  integer, parameter, public :: MAXN4 = 37, NPORB = 30
  !> Array limits of the reference build (spec 9, formats 1.6).
  integer, parameter, public :: MAXN1 = 1000, MAXN2 = 393216, MAXN3 = 16
  integer, parameter, public :: MAXNH = 86400, MAXBOT = 14

  !> Status codes returned by the library (0 = success).  Python maps them to
  !> exceptions; keep the numbers stable.
  integer, parameter, public :: KRC_OK = 0
  integer, parameter, public :: KRC_E_INPUT = 1      !< invalid input parameter
  integer, parameter, public :: KRC_E_UNSTABLE = 23  !< stability factor < ARC3
  integer, parameter, public :: KRC_E_BLOWUP = 22    !< surface Newton blow-up
  integer, parameter, public :: KRC_E_UNSUPPORTED = 30 !< option not implemented
  integer, parameter, public :: KRC_E_INTERNAL = 99

  integer, parameter, public :: MSG_LEN = 256
contains

  !> Sum of an array term by term in index order (physics 9: the order of
  !> additions decides the last bits; sum() may be reordered).
  pure real(dp) function sum_in_order(x) result(v)
    real(dp), intent(in) :: x(:)
    integer :: i
    v = 0.0_dp
    do i = 1, size(x)
      v = v + x(i)
    end do
  end function sum_in_order
end module krc_constants

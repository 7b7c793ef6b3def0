!> Layout of the type-52 output cube (formats 3.2) and of the parameter
!> common snapshot stored in its case prefix (formats 3.3).  Shared by the
!> legacy `krc` program and, through the f2py layer, by the Python `krc`
!> console script, so that both write the same bytes.
module krc_t52
  use, intrinsic :: iso_fortran_env, only: int64
  use krc_constants, only: dp, NFD, NID, NLD, MAXN4
  implicit none
  private

  public :: t52_sizes, t52_prefix, NWKRC, T52_TITLE_LEN, T52_TIME_LEN

  !> Words (float64) of the parameter common in 3.6.1+ files (formats 3.3).
  integer, parameter :: NWKRC = 214
  integer, parameter :: T52_TITLE_LEN = 84, T52_TIME_LEN = 20
  !> FRONT words before the common (formats 3.2).
  integer, parameter :: NFRONT = 4, IDX_PREFIX = 4
  !> Per-season prefix vectors: DJU5, SUBS, PZREF, TAUD, SUMF.
  integer, parameter :: NSV = 5

contains

  !> Sizes of one case: words per season mm3 = N24*7*N4, leading
  !> pseudo-seasons ndx = ceil(npref/mm3), words per case kase.
  !> n24, n4 >= 1.  Sizes beyond the default integer range (a cube of more
  !> than 2**31 words per case) come back as huge(1), which no buffer fits.
  pure subroutine t52_sizes(n24, n4, nsout, mm3, ndx, kase)
    integer, intent(in) :: n24, n4, nsout
    integer, intent(out) :: mm3, ndx, kase
    integer(int64) :: m, npref, k
    m = int(n24, int64)*7*int(max(n4, 1), int64)
    m = max(m, 1_int64)
    npref = NFRONT + NWKRC + NSV*int(nsout, int64)
    k = m*((npref + m - 1)/m + nsout)
    mm3 = int(min(m, int(huge(1), int64)))
    ndx = int((npref + m - 1)/m)
    kase = int(min(k, int(huge(1), int64)))
  end subroutine t52_sizes

  !> The first ndx*mm3 words of a case (formats 3.2): FRONT, the raw bytes of
  !> the parameter common (formats 3.3), the per-season vectors, zeros.
  !> ld holds 0/1; alat/elev the case's n4 latitudes and elevations.
  pure subroutine t52_prefix(fd, id, ld, n4, alat, elev, title, runtime, latm, nsout, svals, &
                             mm3, ndx, words)
    integer, intent(in) :: id(NID), ld(NLD), n4, latm, nsout, mm3, ndx
    real(dp), intent(in) :: fd(NFD), alat(n4), elev(n4), svals(NSV, nsout)
    character(len=*), intent(in) :: title, runtime
    real(dp), intent(out) :: words(mm3*ndx)
    real(dp) :: lat37(MAXN4), elev37(MAXN4)
    integer :: ints(NID + NLD + 2 + (T52_TITLE_LEN + T52_TIME_LEN)/4)
    character(len=T52_TITLE_LEN) :: t84
    character(len=T52_TIME_LEN) :: t20
    integer :: k, i, nint4

    words = 0.0_dp
    words(1) = real(NWKRC, dp)
    words(2) = real(IDX_PREFIX, dp)
    words(4) = real(nsout, dp)
    k = NFRONT
    words(k + 1:k + NFD) = fd
    k = k + NFD
    lat37 = 0.0_dp
    elev37 = 0.0_dp
    lat37(1:min(n4, MAXN4)) = alat(1:min(n4, MAXN4))
    elev37(1:min(n4, MAXN4)) = elev(1:min(n4, MAXN4))
    words(k + 1:k + MAXN4) = lat37
    k = k + MAXN4
    words(k + 1:k + MAXN4) = elev37
    k = k + MAXN4
    ! The rest of the common is 4-byte data: ID, LD, title, time, LATM, spare.
    t84 = title
    t20 = runtime
    ints = 0
    ints(1:NID) = id
    ints(NID + 1:NID + NLD) = ld
    i = NID + NLD
    ints(i + 1:i + T52_TITLE_LEN/4) = transfer(t84, ints, T52_TITLE_LEN/4)
    i = i + T52_TITLE_LEN/4
    ints(i + 1:i + T52_TIME_LEN/4) = transfer(t20, ints, T52_TIME_LEN/4)
    i = i + T52_TIME_LEN/4
    ints(i + 1) = latm
    ints(i + 2) = 0
    nint4 = i + 2
    words(k + 1:k + nint4/2) = transfer(ints(1:nint4), words, nint4/2)
    k = k + nint4/2
    words(3) = real(ndx, dp)
    do i = 1, NSV
      words(k + 1:k + nsout) = svals(i, :)
      k = k + nsout
    end do
  end subroutine t52_prefix

end module krc_t52

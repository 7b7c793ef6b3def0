!> Reading the climate opacity file of change 8 24 from Fortran through the
!> project's C bin5 library (csrc/bin5.h: bin5_read_header, bin5_read_data),
!> for the legacy program; Python reads it through the same library (cffi).
!>
!> Spec: ../shared/spec/krc-farfield-climate.md B1: whatever dimensions and
!> type the header declares, the data bytes (at most 72 x 36 x 2 x 4 =
!> 20 736, swapped to host order by the library) are used as the float32
!> array D(72, 36, 2); a shorter array leaves the rest zero.
!> Reentrant: the C library keeps no state; status returns, no STOP.
module krc_climate_file
  use, intrinsic :: iso_c_binding, only: c_int, c_int8_t, c_int64_t, c_char, c_size_t, c_ptr, &
                                         c_null_char, c_null_ptr
  use krc_constants, only: sp, MSG_LEN, KRC_OK, KRC_E_INPUT
  use krc_climate, only: CLIM_NLS, CLIM_NLAT, CLIM_NK
  implicit none
  private

  public :: climate_read

  integer, parameter :: MAX_BYTES = CLIM_NLS*CLIM_NLAT*CLIM_NK*4

  !> Mirror of struct bin5_header (csrc/bin5.h).
  type, bind(C) :: bin5_header_c
    integer(c_int) :: ndim
    integer(c_int64_t) :: dims(8)
    integer(c_int) :: type
    integer(c_int64_t) :: nelem
    integer(c_int64_t) :: header_len
    integer(c_int) :: big_endian
    character(kind=c_char) :: arch(9)
    character(kind=c_char) :: date(64)
  end type bin5_header_c

  interface
    integer(c_int) function bin5_read_header(path, hdr, text, textcap, textlen, errbuf, errcap) &
        bind(C, name='bin5_read_header')
      import :: c_int, c_char, c_size_t, c_ptr, bin5_header_c
      character(kind=c_char), intent(in) :: path(*)
      type(bin5_header_c), intent(out) :: hdr
      type(c_ptr), value :: text
      integer(c_size_t), value :: textcap
      type(c_ptr), value :: textlen
      character(kind=c_char), intent(out) :: errbuf(*)
      integer(c_size_t), value :: errcap
    end function bin5_read_header

    integer(c_int) function bin5_read_data(path, hdr, out, nbytes, errbuf, errcap) &
        bind(C, name='bin5_read_data')
      import :: c_int, c_int8_t, c_int64_t, c_char, c_size_t, bin5_header_c
      character(kind=c_char), intent(in) :: path(*)
      type(bin5_header_c), intent(in) :: hdr
      integer(c_int8_t), intent(out) :: out(*)
      integer(c_int64_t), value :: nbytes
      character(kind=c_char), intent(out) :: errbuf(*)
      integer(c_size_t), value :: errcap
    end function bin5_read_data

    integer(c_size_t) function bin5_type_size(type) bind(C, name='bin5_type_size')
      import :: c_int, c_size_t
      integer(c_int), value :: type
    end function bin5_type_size
  end interface

contains

  !> Read the climate file path into d(72, 36, 2) (B1).  On failure status
  !> KRC_E_INPUT and a message naming the file (KRC: "CLIMTAU had failure",
  !> change-reader error 434); d is then zero.
  subroutine climate_read(path, d, status, message)
    character(len=*), intent(in) :: path
    real(sp), intent(out) :: d(CLIM_NLS, CLIM_NLAT, CLIM_NK)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(bin5_header_c) :: hdr
    character(kind=c_char) :: err(MSG_LEN)
    integer(c_int8_t), allocatable :: buf(:)
    integer(c_int8_t) :: room(MAX_BYTES)
    integer(c_int64_t) :: nbytes
    integer :: rc

    d = 0.0_sp
    status = KRC_E_INPUT
    message = ' '
    err = c_null_char
    rc = int(bin5_read_header(trim(path)//c_null_char, hdr, c_null_ptr, 0_c_size_t, c_null_ptr, &
                              err, int(MSG_LEN, c_size_t)))
    if (rc /= 0) then
      message = 'climate file (change 8 24; KRC: CLIMTAU had failure, error 434): '// &
                c_text(err)
      return
    end if
    nbytes = hdr%nelem*int(bin5_type_size(hdr%type), c_int64_t)
    if (nbytes > MAX_BYTES) then
      write (message, '(3a,i0,a,i0,a)') 'climate file ', trim(path), ' (change 8 24) holds ', &
        nbytes, ' bytes of data, more than the ', MAX_BYTES, &
        ' of a 72 x 36 x 2 float32 array (KRC: CLIMTAU had failure, error 434)'
      return
    end if
    allocate (buf(max(nbytes, 1_c_int64_t)))
    rc = int(bin5_read_data(trim(path)//c_null_char, hdr, buf, nbytes, err, &
                            int(MSG_LEN, c_size_t)))
    if (rc /= 0) then
      message = 'climate file (change 8 24; KRC: CLIMTAU had failure, error 434): '// &
                c_text(err)
      return
    end if
    room = 0_c_int8_t
    room(1:nbytes) = buf(1:nbytes)
    d = reshape(transfer(room, d, size(d)), shape(d))
    status = KRC_OK
  end subroutine climate_read

  !> The NUL-terminated text of a C error buffer.
  function c_text(buf) result(s)
    character(kind=c_char), intent(in) :: buf(:)
    character(len=:), allocatable :: s
    integer :: i, n
    n = 0
    do i = 1, size(buf)
      if (buf(i) == c_null_char) exit
      n = i
    end do
    allocate (character(len=n) :: s)
    do i = 1, n
      s(i:i) = buf(i)
    end do
  end function c_text

end module krc_climate_file

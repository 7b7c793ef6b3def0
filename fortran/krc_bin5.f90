!> Fortran interface to the C bin5 writer (csrc/bin5.h: bin5_write,
!> bin5_host_big_endian) and a float64 convenience wrapper.  The C library
!> writes through a temporary file and a rename, so a failed write leaves
!> no partial file (bin5.h "ABI rules").
module krc_bin5
  use, intrinsic :: iso_c_binding, only: c_int, c_int64_t, c_char, c_double, c_ptr, c_size_t, &
                                         c_null_char, c_null_ptr, c_loc
  use krc_constants, only: dp, MSG_LEN
  implicit none
  private

  public :: bin5_write_f8, bin5_host_big_endian

  integer(c_int), parameter :: BIN5_F8 = 5

  interface
    integer(c_int) function bin5_write(path, ndim, dims, type, data, text, date, big_endian, &
                                       errbuf, errcap) bind(C, name='bin5_write')
      import :: c_int, c_int64_t, c_char, c_double, c_ptr, c_size_t
      character(kind=c_char), intent(in) :: path(*)
      integer(c_int), value :: ndim
      integer(c_int64_t), intent(in) :: dims(*)
      integer(c_int), value :: type
      real(c_double), intent(in) :: data(*)
      character(kind=c_char), intent(in) :: text(*)
      type(c_ptr), value :: date
      integer(c_int), value :: big_endian
      character(kind=c_char), intent(out) :: errbuf(*)
      integer(c_size_t), value :: errcap
    end function bin5_write

    integer(c_int) function bin5_host_big_endian() bind(C, name='bin5_host_big_endian')
      import :: c_int
    end function bin5_host_big_endian
  end interface

contains

  !> Write data (float64, Fortran order, product(dims) values) to path as a
  !> bin5 file in the host byte order with the header text and the current
  !> date (or date, the contents of the date block, when given and not blank).
  !> status: 0 ok, else the bin5_status code, with message.
  subroutine bin5_write_f8(path, dims, data, text, status, message, date)
    character(len=*), intent(in) :: path, text
    integer, intent(in) :: dims(:)
    real(dp), intent(in) :: data(*)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=*), intent(in), optional :: date
    integer(c_int64_t) :: d64(size(dims))
    character(kind=c_char) :: err(MSG_LEN)
    character(kind=c_char), allocatable, target :: cdate(:)
    type(c_ptr) :: pdate
    integer :: i

    d64 = int(dims, c_int64_t)
    err = c_null_char
    pdate = c_null_ptr
    if (present(date)) then
      if (len_trim(date) > 0) then
        allocate (cdate(len(date) + 1))
        do i = 1, len(date)
          cdate(i) = date(i:i)
        end do
        cdate(len(date) + 1) = c_null_char
        pdate = c_loc(cdate)
      end if
    end if
    status = int(bin5_write(trim(path)//c_null_char, int(size(dims), c_int), d64, BIN5_F8, data, &
                            text//c_null_char, pdate, bin5_host_big_endian(), err, &
                            int(MSG_LEN, c_size_t)))
    message = ' '
    do i = 1, MSG_LEN
      if (err(i) == c_null_char) exit
      message(i:i) = err(i)
    end do
  end subroutine bin5_write_f8

end module krc_bin5

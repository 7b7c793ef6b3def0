!> The legacy `krc` program: deck in -> print file + type-52 file out
!> (../shared/spec/krc-formats.md sections 1-3).
!>
!> Dialogue (formats 1.1): standard input gives the input stem (default
!> 'krc'; '.inp' appended when the name has no extension), then the print
!> stem ('/' = the input stem; '.prt' appended likewise).
!>
!> Everything else is the case driver of the library (krc_driver.f90), in
!> the mode that computes each case as the walk over the deck reaches it;
!> the Python `krc` console script calls the same driver (plan, then write).
!> The whole deck is read once before anything runs: a deck error, a case
!> asking for what this model lacks (one-point mode), cases of one type-52
!> file with different N24, N4 or N5-JDISK+1, an unreadable seasonal table
!> or an output that cannot be written stop the program with a message on
!> stderr and a nonzero exit status, and no output file is written.
!>
!> Exit status (the same as the Python `krc` console script): 0 ok; 1 a case
!> failed or an output could not be written (the other cases were still run
!> and written); 2 deck, file or usage error (nothing written); 3 an option
!> not implemented.
program krc
  use, intrinsic :: iso_fortran_env, only: error_unit, input_unit
  use, intrinsic :: iso_c_binding, only: c_int
  use krc_constants, only: MSG_LEN
  use krc_driver, only: drive_t, drive_deck, DRV_RUN
  use krc_farfield, only: FF_LAYOUT_COMPACT, FF_LAYOUT_KRC
  implicit none

  interface
    subroutine c_exit(code) bind(C, name='exit')
      import :: c_int
      integer(c_int), value :: code
    end subroutine c_exit
  end interface

  type(drive_t) :: d
  integer :: status
  character(len=MSG_LEN) :: message

  call dialogue(d%inp, d%prt)
  call far_field_layout(d%ff_layout)
  d%mode = DRV_RUN
  d%runtime = run_time()
  call drive_deck(d, status, message)
  if (status /= 0) then
    write (error_unit, '(a)') 'krc: error: '//trim(message)
    flush (error_unit)
    call c_exit(int(status, c_int))
  end if
  if (d%exit_code /= 0) call c_exit(int(d%exit_code, c_int))

contains

  !> The layout of the far-field files the run writes (8 21): the
  !> environment variable LW_FAR_FIELD_LAYOUT = compact (default) or krc
  !> (the original's 25.6 MB records, farfield-climate A2, A4).
  subroutine far_field_layout(layout)
    integer, intent(out) :: layout
    character(len=32) :: v
    integer :: ios
    layout = FF_LAYOUT_COMPACT
    call get_environment_variable('LW_FAR_FIELD_LAYOUT', v, status=ios)
    if (ios /= 0) return
    select case (trim(adjustl(v)))
    case ('', 'compact')
      layout = FF_LAYOUT_COMPACT
    case ('krc')
      layout = FF_LAYOUT_KRC
    case default
      write (error_unit, '(a)') 'krc: error: LW_FAR_FIELD_LAYOUT = '//trim(v)// &
        ': choose compact (the default) or krc (the original program''s layout)'
      flush (error_unit)
      call c_exit(2_c_int)
    end select
  end subroutine far_field_layout

  !> Formats 1.1: the two stems from standard input (list-directed; '/'
  !> or end of input keeps the default).
  subroutine dialogue(inp, prt)
    character(len=:), allocatable, intent(out) :: inp, prt
    character(len=1024) :: buf
    character(len=:), allocatable :: stem
    integer :: ios

    buf = 'krc'
    read (input_unit, *, iostat=ios) buf
    if (len_trim(buf) == 0) buf = 'krc'
    inp = trim(buf)
    stem = inp
    if (has_extension(inp)) then
      stem = inp(1:index(inp, '.', back=.true.) - 1)
    else
      inp = inp//'.inp'
    end if
    buf = stem
    read (input_unit, *, iostat=ios) buf
    if (len_trim(buf) == 0) buf = stem
    prt = trim(buf)
    if (.not. has_extension(prt)) prt = prt//'.prt'
  end subroutine dialogue

  !> Whether the last path component has an extension ('.xyz').
  pure logical function has_extension(name)
    character(len=*), intent(in) :: name
    integer :: dot, slash
    dot = index(name, '.', back=.true.)
    slash = index(name, '/', back=.true.)
    has_extension = dot > slash + 1 .and. dot < len_trim(name)
  end function has_extension

  !> 'yyyy Mon dd hh:mm:ss' (formats 2.3).
  function run_time() result(s)
    character(len=20) :: s
    integer :: v(8)
    character(len=3), parameter :: MON(12) = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', &
                                              'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
    call date_and_time(values=v)
    ! The day of the month is blank-padded, as KRC writes it (print-extras 12).
    write (s, '(i4.4,1x,a3,1x,i2,1x,i2.2,":",i2.2,":",i2.2)') v(1), MON(v(2)), v(3), v(5), &
      v(6), v(7)
  end function run_time

end program krc

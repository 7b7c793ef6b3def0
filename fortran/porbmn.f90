!> The legacy orbit program `porbmn` (KRC's PORB-block maker) over the
!> reentrant library krc_porb.  Dialogue, tables and output files as the
!> original (../shared/spec/krc-porb.md sections 2, 6, 8): answers on standard
!> input, read free-format ('/' keeps the default); the print file porb.prt
!> (or the screen after 'T'); the ASCII block file (default PORBCM.mat),
!> appended to.  Tables are read from the current directory.
!>
!> What the original does wrongly is refused, with a message on standard
!> error and a nonzero exit status, instead of copied (spec sections 3.1, 3.2,
!> 6.4, 9): a table entry that cannot be read, has an empty value record, an
!> open orbit or an impossible epoch; a pole name with no spin-axis row; a
!> save before any body was chosen; the binary save/read (which crashes the
!> original); the ephemeris table (option 3) and the debug prints (K /= 0),
!> which are not specified.  A block read back keeps its whole title, and the
!> epoch of a planet is not carried over to the next non-planet.
!>
!> Exit status: 0 ok (end of input or option 0 at the menu); 1 end of input in
!> the middle of a question; 2 a refused entry, pole or file; 3 an option not
!> provided.
program porbmn
  use, intrinsic :: iso_fortran_env, only: error_unit, output_unit
  use, intrinsic :: iso_c_binding, only: c_int
  use krc_constants, only: dp
  use krc_porb, only: porb_set_t, porb_log_t, porb_compute, porb_block, porb_runtime_line, &
                      porb_print_set, porb_print_rot, porb_read_block, PORB_OK, PORB_MSGLEN, &
                      CH_PRINT
  implicit none

  interface
    subroutine c_exit(code) bind(C, name='exit')
      import :: c_int
      integer(c_int), value :: code
    end subroutine c_exit
  end interface

  character(len=*), parameter :: MENU(6) = [character(len=53) :: &
    ' ? Option Kode   0=quit', &
    ' 1 = Initiate COMMON from an orbital elements file', &
    ' 2 = Read/Save COMMON from/to ASCII or binary file ', &
    ' 3 = print Ephemeris tables based upon current COMMON', &
    ' 4 = print COMMON', &
    ' 5 = test computation and print of rotation matrices']
  integer, parameter :: MENU_LEN(6) = [23, 50, 51, 53, 17, 52]

  type(porb_set_t) :: set
  type(porb_log_t) :: log
  character(len=1) :: where
  character(len=20) :: runtime
  integer :: prt, iop, opt, isrc, item, k, ios
  logical :: have_set, to_screen, prt_open
  real(dp) :: tc

  have_set = .false.
  prt_open = .false.
  isrc = 0
  item = 0
  tc = 0.0_dp
  set%v = 0.0_dp
  set%title = ' '

  where = 'P'
  call say(' ?* OUTPUT TO PRINTER OR TERMINAL: [P]/T?')
  read (*, *, iostat=ios) where
  if (ios < 0) call finish(0)
  to_screen = (where == 'T' .or. where == 't')
  if (to_screen) then
    prt = output_unit
    iop = 6
  else
    open (newunit=prt, file='porb.prt', status='replace', action='write', iostat=ios)
    if (ios /= 0) call die(2, 'porb.prt cannot be written in the current folder')
    prt_open = .true.
    iop = 3
  end if

  opt = 0
  menu_loop: do
    do
      do k = 1, 6
        call say(MENU(k)(1:MENU_LEN(k)))
      end do
      read (*, *, iostat=ios) opt
      if (ios < 0) call finish(0)
      if (ios > 0) cycle
      if (opt <= 5) exit
    end do
    if (opt < 1) exit menu_loop
    call run_time(runtime)
    write (prt, '(a)') porb_runtime_line(runtime)
    select case (opt)
    case (1)
      call choose_body()
    case (2)
      call read_save()
    case (3)
      call die(3, 'option 3 (ephemeris tables) is not provided: the model''s own date -> Ls ' // &
        'geometry (krc-formats.md 4.3) covers it')
    case (4)
      log%n = 0
      call porb_print_set(set, runtime, iop, log)
      call flush_log(0)
    case (5)
      log%n = 0
      call porb_print_rot(set, log)
      call flush_log(0)
    end select
  end do menu_loop
  call finish(0)

contains

  subroutine say(text)
    character(len=*), intent(in) :: text
    write (output_unit, '(a)') text
  end subroutine say

  !> Print the log lines after the first `skip` to the screen or the print unit.
  subroutine flush_log(skip)
    integer, intent(in) :: skip
    integer :: i
    do i = skip + 1, log%n
      if (log%chan(i) == CH_PRINT) then
        write (prt, '(a)') log%text(i)(1:log%length(i))
      else
        write (output_unit, '(a)') log%text(i)(1:log%length(i))
      end if
    end do
  end subroutine flush_log

  subroutine finish(code)
    integer, intent(in) :: code
    flush (output_unit)
    if (prt_open) close (prt)
    if (code /= 0) call c_exit(int(code, c_int))
    stop
  end subroutine finish

  subroutine die(code, text)
    integer, intent(in) :: code
    character(len=*), intent(in) :: text
    flush (output_unit)
    write (error_unit, '(a)') 'porbmn: error: ' // trim(text)
    flush (error_unit)
    if (prt_open) close (prt)
    call c_exit(int(code, c_int))
  end subroutine die

  !> Ask an integer until one is read; '/' keeps `val`.
  subroutine ask_int(prompt, val)
    character(len=*), intent(in) :: prompt
    integer, intent(inout) :: val
    integer :: ios2
    do
      call say(prompt)
      read (*, *, iostat=ios2) val
      if (ios2 < 0) call die(1, 'end of input while answering "' // trim(adjustl(prompt)) // '"')
      if (ios2 == 0) return
    end do
  end subroutine ask_int

  subroutine ask_real(prompt, val)
    character(len=*), intent(in) :: prompt
    real(dp), intent(inout) :: val
    integer :: ios2
    do
      call say(prompt)
      read (*, *, iostat=ios2) val
      if (ios2 < 0) call die(1, 'end of input while answering "' // trim(adjustl(prompt)) // '"')
      if (ios2 == 0) return
    end do
  end subroutine ask_real

  subroutine ask_text(prompt, val)
    character(len=*), intent(in) :: prompt
    character(len=*), intent(inout) :: val
    integer :: ios2
    do
      call say(prompt)
      read (*, *, iostat=ios2) val
      if (ios2 < 0) call die(1, 'end of input while answering "' // trim(adjustl(prompt)) // '"')
      if (ios2 == 0) return
    end do
  end subroutine ask_text

  !> Local date and time as the original prints it: 'YYYY Mon dd hh:mm:ss'.
  subroutine run_time(text)
    character(len=20), intent(out) :: text
    character(len=3), parameter :: MON(12) = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', &
                                             'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
    integer :: t(8)
    call date_and_time(values=t)
    write (text, '(i4,1x,a3,1x,i2,1x,i2.2,":",i2.2,":",i2.2)') t(1), MON(t(2)), t(3), t(5), t(6), t(7)
  end subroutine run_time

  !> Option 1: source, item, epoch, debug, pole; then the computation.
  subroutine choose_body()
    integer :: kdebug, status, nshown
    character(len=12) :: pole
    character(len=25) :: planet
    character(len=PORB_MSGLEN) :: message
    call ask_int('  ?* SOURCE DATA: -=quit 1=Planets 3=minor 4=small [5=comets] 6=exoPlanets ', isrc)
    if (isrc < 1) return
    call ask_int('  ?* WHICH item in file.', item)
    if (isrc == 1) call ask_real(' ?* EPOCH desired as centuries after 2000.0', tc)
    kdebug = 0
    call ask_int('  ?* Debug print: 0:7 bit encoded See porbig.f', kdebug)
    if (kdebug /= 0) call die(3, 'debug prints (K /= 0) are not provided: their layout is not ' // &
      'specified; answer 0')
    log%n = 0
    nshown = 0
    pole = ' '
    if (isrc == 1) then
      call porb_compute('', isrc, item, tc, pole, kdebug, .true., set, log, status, message)
      call flush_log(0)
      if (status /= PORB_OK) call die(2, message)
      nshown = log%n
      planet = set%title
      call ask_text(' Orbit is ' // planet // ' ENTER:  / or satellite name', pole)
      log%n = 0
    end if
    call porb_compute('', isrc, item, merge(tc, 0.0_dp, isrc == 1), pole, kdebug, .false., set, &
                      log, status, message)
    call flush_log(nshown)
    if (status /= PORB_OK) then
      have_set = .false.
      call die(2, message)
    end if
    have_set = .true.
  end subroutine choose_body

  !> Option 2: save the block to / read a block from an ASCII file.
  subroutine read_save()
    integer :: rw, kind, status, u, ios2, r
    character(len=30) :: fname
    character(len=PORB_MSGLEN) :: message
    character(len=100) :: header
    character(len=75) :: lines(6)
    character(len=256) :: buf
    rw = 0
    do
      call ask_int('  ?* 1=READ FROM FILE  2=SAVE NEW RECORD', rw)
      if (rw >= 1) exit
    end do
    kind = 2
    call ask_int('  ?* 1=BINARY (UNFORMATTED)   2=ASCII (FORMATTED)', kind)
    if (kind <= 1) call die(3, 'the binary PORBCM.DAT file is not provided (the original''s ' // &
      'record is too short and it crashes); answer 2 for the ASCII block')
    fname = 'PORBCM.mat'
    call ask_text('  ?* NAME OF ASCII OUTPUT FILE; DEFAULT IS ' // 'PORBCM.mat                    ', &
                  fname)
    if (rw == 1) then
      call porb_read_block(fname, set, status, message)
      if (status /= PORB_OK) call die(2, message)
      have_set = .true.
    else
      if (.not. have_set) call die(2, 'nothing to save: choose a body with option 1 (or read a ' // &
        'block) first')
      call porb_block(set, runtime, header, lines)
      open (newunit=u, file=trim(fname), status='unknown', position='append', action='write', &
            iostat=ios2)
      if (ios2 /= 0) call die(2, trim(fname) // ': cannot be opened for writing')
      write (u, '(a)') trim(header)
      do r = 1, 6
        write (u, '(a)') lines(r)
      end do
      close (u)
    end if
    write (buf, *) 'PORBIO@30 >', set%title, '<', len_trim(set%title)
    call say(trim(buf))
    write (prt, '(a)') ' ' // ' ASCII RECORD ' // merge(' TO ', 'FROM', rw /= 1) // ' FILE =' // fname
  end subroutine read_save

end program porbmn

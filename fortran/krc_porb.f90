!> The orbit program's computation (KRC's porbmn): the 30 PORB values of one
!> body from the element tables.  Specification: ../shared/spec/krc-porb.md
!> sections 3-6.
!>
!> Library code: reentrant (no SAVE, no COMMON, no module variables holding
!> run state), never stops.  Every routine returns a status (PORB_OK = 0) and
!> a message.  Text the original writes while reading a table (screen lines
!> and the element report of the print unit) is collected, in order, in a
!> porb_log_t that the caller prints (the legacy program) or ignores (Python).
!> Tables are read whole into memory through C stdio and parsed with internal
!> list-directed reads (the free-format rules of section 4.1), so several
!> threads may read the same table at once.
module krc_porb
  use, intrinsic :: iso_c_binding, only: c_ptr, c_char, c_int, c_null_char, c_associated
  use krc_constants, only: dp
  implicit none
  private

  public :: porb_set_t, porb_log_t, porb_compute, porb_block, porb_gfield, porb_runtime_line
  public :: porb_print_set, porb_print_rot, porb_read_block, log_add, table_name

  !> Number of values held in the set (the PORB common); the first 30 are the block.
  integer, parameter, public :: NPORBCM = 41
  integer, parameter, public :: PORB_LOGLEN = 200, PORB_MAXLOG = 80
  integer, parameter, public :: PORB_MSGLEN = 256
  !> Log channels: the screen and the print unit.
  integer, parameter, public :: CH_SCREEN = 0, CH_PRINT = 1
  !> Status codes.
  integer, parameter, public :: PORB_OK = 0
  integer, parameter, public :: PORB_E_INPUT = 1    !< source or item number not offered
  integer, parameter, public :: PORB_E_TABLE = 2    !< the table cannot be opened or read
  integer, parameter, public :: PORB_E_POLE = 3     !< no spin-axis row for the pole name
  integer, parameter, public :: PORB_E_BROKEN = 4   !< the table entry is refused (empty field, bad orbit)
  integer, parameter, public :: PORB_E_FILE = 5     !< a block file cannot be read or written

  !> The version tag written in block headers and run-time lines.
  character(len=*), parameter, public :: PORB_VERSION = 'PORB:2014jun10'

  ! Constants of section 5 (all doubles).
  real(dp), parameter :: TWOPI = 6.2831853071795864769_dp
  real(dp), parameter :: RDEG = TWOPI / 360.0_dp
  real(dp), parameter, public :: PICON = 3.14159265358979_dp   !< truncated pi of the pole
  real(dp), parameter, public :: EOBL_J2000 = 0.409092601_dp
  real(dp), parameter :: EOBL_B1950 = 0.40920619_dp
  real(dp), parameter :: YSID = 365.256363004_dp
  real(dp), parameter :: JD2000 = 2451545.0_dp
  real(dp), parameter :: DAYS_CENT = 36525.0_dp
  !> Epochs further than this from J2000.0 (days: 10,000 years) are refused.
  real(dp), parameter :: MAX_EPOCH_DAYS = 3652500.0_dp
  !> A value not touched by a list-directed read (empty record) keeps this.
  real(dp), parameter :: UNSET = -8.765432e300_dp
  character(len=1), parameter :: SENT = achar(1)
  !> Longest table record kept; a free-format value may span this many records.
  integer, parameter :: RECLEN = 512, MAXJOIN = 7

  !> The set of 41 values and the body's title.
  type :: porb_set_t
    real(dp) :: v(NPORBCM) = 0.0_dp
    character(len=25) :: title = ' '
  end type porb_set_t

  !> Text lines in output order, each with its channel and exact length.
  type :: porb_log_t
    integer :: n = 0
    integer :: chan(PORB_MAXLOG) = 0
    integer :: length(PORB_MAXLOG) = 0
    character(len=PORB_LOGLEN) :: text(PORB_MAXLOG) = ' '
  end type porb_log_t

  !> Elements of one body as read, angles in degrees.
  type :: elements_t
    real(dp) :: node = 0, inc = 0, argp = 0, ecc = 0, sja = 0, period = 0, tjp = 0
    real(dp) :: siday = 0, pdec = 0, pra = 0
  end type elements_t

  !> A table held in memory: its records and how many have been consumed.
  !> (Read through C stdio, not a Fortran unit: a Fortran file may be
  !> connected to one unit only, so two threads could not read one table.)
  type :: table_t
    character(len=RECLEN), allocatable :: rec(:)
    integer :: n = 0, pos = 0
  end type table_t

  interface
    function c_fopen(path, mode) bind(C, name='fopen') result(f)
      import :: c_ptr, c_char
      character(kind=c_char), intent(in) :: path(*), mode(*)
      type(c_ptr) :: f
    end function c_fopen
    function c_fgets(buf, n, f) bind(C, name='fgets') result(p)
      import :: c_ptr, c_char, c_int
      character(kind=c_char), intent(inout) :: buf(*)
      integer(c_int), value :: n
      type(c_ptr), value :: f
      type(c_ptr) :: p
    end function c_fgets
    function c_fclose(f) bind(C, name='fclose') result(r)
      import :: c_ptr, c_int
      type(c_ptr), value :: f
      integer(c_int) :: r
    end function c_fclose
  end interface

contains

  ! ------------------------------------------------------------------ text helpers

  !> Append one line (all of `text`, trailing blanks included).
  subroutine log_add(log, chan, text)
    type(porb_log_t), intent(inout) :: log
    integer, intent(in) :: chan
    character(len=*), intent(in) :: text
    if (log%n >= PORB_MAXLOG) return
    log%n = log%n + 1
    log%chan(log%n) = chan
    log%length(log%n) = min(len(text), PORB_LOGLEN)
    log%text(log%n) = text
  end subroutine log_add

  !> Append a line made by a list-directed internal write that ended with the
  !> sentinel character; `numeric_last` says whether the item before the
  !> sentinel was a number (then a separator blank precedes the sentinel).
  subroutine log_ld(log, chan, buf, numeric_last)
    type(porb_log_t), intent(inout) :: log
    integer, intent(in) :: chan
    character(len=*), intent(in) :: buf
    logical, intent(in) :: numeric_last
    integer :: k
    k = index(buf, SENT)
    if (k == 0) then
      call log_add(log, chan, trim(buf))
    else if (numeric_last) then
      call log_add(log, chan, buf(1:k - 2))
    else
      call log_add(log, chan, buf(1:k - 1))
    end if
  end subroutine log_ld

  !> The fixed table file name of a source code.
  pure function table_name(isrc) result(name)
    integer, intent(in) :: isrc
    character(len=12) :: name
    select case (isrc)
    case (1); name = 'standish.tab'
    case (2); name = 'spinaxis.tab'
    case (3); name = 'minor.tab'
    case (4); name = 'small.tab'
    case (5); name = 'comet.tab'
    case (6); name = 'exoplan.tab'
    case default; name = ' '
    end select
  end function table_name

  !> A value as the Gw.d edit descriptor writes it (gfortran, section 6.2).
  function porb_gfield(x, w, d) result(s)
    real(dp), intent(in) :: x
    integer, intent(in) :: w, d
    character(len=w) :: s
    character(len=16) :: fmt
    write (fmt, '(a,i0,a,i0,a)') '(g', w, '.', d, ')'
    write (s, fmt) x
  end function porb_gfield

  !> The run-time line of a menu choice.
  function porb_runtime_line(runtime) result(s)
    character(len=20), intent(in) :: runtime
    character(len=53) :: s
    s = ' PORBMN:' // PORB_VERSION // '  Run_time=' // runtime
  end function porb_runtime_line

  ! ------------------------------------------------------------------ table reading

  !> The three error lines of a table-reading failure (section 8.3), and the message.
  subroutine table_error(log, fname, item, code, title, j, message)
    type(porb_log_t), intent(inout) :: log
    character(len=*), intent(in) :: fname, title
    integer, intent(in) :: item, code, j
    character(len=*), intent(out) :: message
    character(len=PORB_LOGLEN) :: buf
    character(len=28) :: reason
    character(len=12) :: f12
    select case (code)
    case (1); reason = 'opening table file'
    case (2); reason = 'EOF looking for C_END'
    case (3); reason = 'error looking for C_END'
    case (4); reason = 'EOF looking for target'
    case (5); reason = 'error looking for target'
    case (6); reason = 'EOF reading value'
    case default; reason = 'error reading value'
    end select
    f12 = fname
    call log_add(log, CH_SCREEN, ' PORBEL Error: File was >' // f12)
    write (buf, *) '------ Error: ierr', code, ' Last title= ', trim(title), SENT
    call log_ld(log, CH_SCREEN, buf, .false.)
    write (buf, *) '------ Error: J=', j, ' Reason: ', trim(reason), SENT
    call log_ld(log, CH_SCREEN, buf, .false.)
    if (code == 1) then
      message = trim(fname) // ' cannot be opened (the six element tables must be in the ' // &
        'folder read: standish.tab spinaxis.tab minor.tab small.tab comet.tab exoplan.tab)'
    else if (len_trim(title) > 0) then
      write (message, '(a,i0,a,i0,a,i0,a)') trim(fname) // ' item ', item, ' (' // trim(title) // &
        ') is refused: ' // trim(reason) // ' (code ', code, ') at record ', j, &
        ' after the header; the original would carry on with a half-filled block'
    else
      write (message, '(a,i0,a,i0,a,i0,a)') trim(fname) // ' item ', item, ' is refused: ' // &
        trim(reason) // ' (code ', code, ') at record ', j, &
        ' after the header (is there such an item?)'
    end if
  end subroutine table_error

  !> Read a table into memory and past its header (the record starting C_END)
  !> and `nskip` more records.  code: 0 ok, else the section 8.3 code.
  subroutine table_open(dir, fname, nskip, log, u, code, j)
    character(len=*), intent(in) :: dir, fname
    integer, intent(in) :: nskip
    type(porb_log_t), intent(inout) :: log
    type(table_t), intent(out) :: u
    integer, intent(out) :: code, j
    character(len=RECLEN) :: line
    character(len=PORB_LOGLEN) :: buf
    character(len=5) :: head
    integer :: ios, k, c
    j = 0
    code = 0
    if (len_trim(dir) > 0) then
      call table_load(trim(dir) // '/' // trim(fname), u, ios)
    else
      call table_load(trim(fname), u, ios)
    end if
    if (ios /= 0) then
      code = 1
      return
    end if
    do
      call tab_line(u, line, ios)
      if (ios /= 0) then
        code = 2
        return
      end if
      j = j + 1
      head = line(1:5)
      do k = 1, 5
        c = iachar(head(k:k))
        if (c >= iachar('a') .and. c <= iachar('z')) head(k:k) = achar(c - 32)
      end do
      if (head == 'C_END') exit
    end do
    call log_add(log, CH_SCREEN, ' C_END')
    j = 0
    do k = 1, nskip
      call tab_line(u, line, ios)
      if (ios /= 0) then
        code = 4
        return
      end if
      j = j + 1
    end do
    if (nskip > 0) then
      write (buf, *) 'skipped lines=', nskip, SENT
      call log_ld(log, CH_SCREEN, buf, .true.)
    end if
  end subroutine table_open

  !> All records of a text file, through C stdio (trailing newline removed;
  !> a record is cut at RECLEN characters as a Fortran '(a)' read would).
  subroutine table_load(path, u, ios)
    character(len=*), intent(in) :: path
    type(table_t), intent(inout) :: u
    integer, intent(out) :: ios
    character(kind=c_char, len=1) :: cbuf(RECLEN + 2)
    character(len=RECLEN), allocatable :: grow(:)
    character(len=RECLEN) :: line
    type(c_ptr) :: f, got
    integer :: k, nl, r
    logical :: more
    ios = 0
    f = c_fopen(path // c_null_char, 'r' // c_null_char)
    if (.not. c_associated(f)) then
      ios = 1
      return
    end if
    allocate (u%rec(64))
    u%n = 0
    u%pos = 0
    line = ' '
    nl = 0
    more = .false.
    do
      got = c_fgets(cbuf, int(size(cbuf), c_int), f)
      if (.not. c_associated(got)) exit
      k = 0
      do while (k < size(cbuf))
        if (cbuf(k + 1) == c_null_char) exit
        k = k + 1
      end do
      more = .true.
      if (k > 0) then
        if (cbuf(k) == achar(10)) then
          k = k - 1
          more = .false.
        end if
      end if
      do r = 1, k
        if (nl < RECLEN) then
          nl = nl + 1
          line(nl:nl) = cbuf(r)
        end if
      end do
      if (.not. more) call push(line)
    end do
    if (more) call push(line)
    r = int(c_fclose(f))
  contains
    subroutine push(text)
      character(len=RECLEN), intent(in) :: text
      if (u%n == size(u%rec)) then
        allocate (grow(2 * size(u%rec)))
        grow(1:u%n) = u%rec(1:u%n)
        call move_alloc(grow, u%rec)
      end if
      u%n = u%n + 1
      u%rec(u%n) = text
      line = ' '
      nl = 0
    end subroutine push
  end subroutine table_load

  !> The next record as text; ios = -1 at the end of the table.
  subroutine tab_line(u, line, ios)
    type(table_t), intent(inout) :: u
    character(len=*), intent(out) :: line
    integer, intent(out) :: ios
    line = ' '
    ios = 0
    if (u%pos >= u%n) then
      ios = -1
      return
    end if
    u%pos = u%pos + 1
    line = u%rec(u%pos)
  end subroutine tab_line

  !> Records pos+1 .. pos+k joined by blanks (a record end separates values
  !> like a blank); ok = .false. when the table has fewer records left.
  subroutine tab_join(u, k, buf, ok)
    type(table_t), intent(in) :: u
    integer, intent(in) :: k
    character(len=*), intent(out) :: buf
    logical, intent(out) :: ok
    integer :: i
    buf = ' '
    ok = u%pos + k <= u%n
    if (.not. ok) return
    do i = 1, k
      buf((i - 1) * (RECLEN + 1) + 1:i * (RECLEN + 1)) = u%rec(u%pos + i) // ' '
    end do
  end subroutine tab_join

  !> Read one value (the first item of the next record); code 6/7 on EOF/error,
  !> and `empty` when the record holds no value (only a comment).
  subroutine read_value(u, x, code, empty, j)
    type(table_t), intent(inout) :: u
    real(dp), intent(out) :: x
    integer, intent(out) :: code
    logical, intent(inout) :: empty
    integer, intent(inout) :: j
    real(dp) :: v(1)
    integer :: ios
    v = UNSET
    call tab_rv(u, v, ios)
    x = v(1)
    code = 0
    if (ios < 0) then
      code = 6
    else if (ios > 0) then
      code = 7
    else
      j = j + 1
      if (x == UNSET) empty = .true.
    end if
  end subroutine read_value

  ! Free-format reads of one logical record (as a list-directed READ: a record
  ! with too few items continues on the next).  ios: 0 ok, < 0 end of table,
  ! > 0 an item cannot be read.  Items not given (a slash) keep their value.

  subroutine tab_rv(u, v, ios)
    type(table_t), intent(inout) :: u
    real(dp), intent(inout) :: v(:)
    integer, intent(out) :: ios
    character(len=MAXJOIN * (RECLEN + 1)) :: buf
    logical :: ok
    integer :: k
    do k = 1, MAXJOIN
      call tab_join(u, k, buf, ok)
      if (.not. ok) exit
      read (buf, *, iostat=ios) v
      if (ios >= 0) then
        u%pos = u%pos + k
        return
      end if
    end do
    ios = -1
  end subroutine tab_rv

  subroutine tab_a(u, a, ios)
    type(table_t), intent(inout) :: u
    character(len=*), intent(inout) :: a
    integer, intent(out) :: ios
    character(len=MAXJOIN * (RECLEN + 1)) :: buf
    logical :: ok
    integer :: k
    do k = 1, MAXJOIN
      call tab_join(u, k, buf, ok)
      if (.not. ok) exit
      read (buf, *, iostat=ios) a
      if (ios >= 0) then
        u%pos = u%pos + k
        return
      end if
    end do
    ios = -1
  end subroutine tab_a

  subroutine tab_arv(u, a, v, ios)
    type(table_t), intent(inout) :: u
    character(len=*), intent(inout) :: a
    real(dp), intent(inout) :: v(:)
    integer, intent(out) :: ios
    character(len=MAXJOIN * (RECLEN + 1)) :: buf
    logical :: ok
    integer :: k
    do k = 1, MAXJOIN
      call tab_join(u, k, buf, ok)
      if (.not. ok) exit
      read (buf, *, iostat=ios) a, v
      if (ios >= 0) then
        u%pos = u%pos + k
        return
      end if
    end do
    ios = -1
  end subroutine tab_arv

  subroutine tab_iar(u, i, a, x, ios)
    type(table_t), intent(inout) :: u
    integer, intent(inout) :: i
    character(len=*), intent(inout) :: a
    real(dp), intent(inout) :: x
    integer, intent(out) :: ios
    character(len=MAXJOIN * (RECLEN + 1)) :: buf
    logical :: ok
    integer :: k
    do k = 1, MAXJOIN
      call tab_join(u, k, buf, ok)
      if (.not. ok) exit
      read (buf, *, iostat=ios) i, a, x
      if (ios >= 0) then
        u%pos = u%pos + k
        return
      end if
    end do
    ios = -1
  end subroutine tab_iar

  subroutine tab_iir(u, i1, i2, x, ios)
    type(table_t), intent(inout) :: u
    integer, intent(inout) :: i1, i2
    real(dp), intent(inout) :: x
    integer, intent(out) :: ios
    character(len=MAXJOIN * (RECLEN + 1)) :: buf
    logical :: ok
    integer :: k
    do k = 1, MAXJOIN
      call tab_join(u, k, buf, ok)
      if (.not. ok) exit
      read (buf, *, iostat=ios) i1, i2, x
      if (ios >= 0) then
        u%pos = u%pos + k
        return
      end if
    end do
    ios = -1
  end subroutine tab_iir

  ! ------------------------------------------------------------------ the main call

  !> Fill `set` from item `item` of source `isrc` (1 planets, 3 minor,
  !> 4 small, 5 comets, 6 exoplanets), reading the tables in folder `dir`
  !> (blank: the current directory).  For isrc = 1, `tc` is the epoch
  !> (Julian centuries after J2000.0) and `pole` the spin-axis row name (blank:
  !> the planet's own); for the other sources TC is stored as 0 and `tc` must
  !> be 0.  `kdebug` is stored as value 20 (debug prints are not produced).
  !> With `stop_at_pole` (isrc = 1 only) the call returns after the point where
  !> the original asks for the pole name, with the planet name in set%title.
  !> On failure status /= PORB_OK, message says why, and set holds zeros.
  subroutine porb_compute(dir, isrc, item, tc, pole, kdebug, stop_at_pole, set, log, status, message)
    character(len=*), intent(in) :: dir, pole
    integer, intent(in) :: isrc, item, kdebug
    real(dp), intent(in) :: tc
    logical, intent(in) :: stop_at_pole
    type(porb_set_t), intent(out) :: set
    type(porb_log_t), intent(inout) :: log
    integer, intent(out) :: status
    character(len=*), intent(out) :: message
    type(elements_t) :: el
    character(len=25) :: title
    character(len=PORB_LOGLEN) :: buf
    real(dp) :: a(3, 3)

    status = PORB_OK
    message = ' '
    set%v = 0.0_dp
    set%title = ' '
    title = ' '
    if (isrc < 1 .or. isrc > 6 .or. isrc == 2) then
      status = PORB_E_INPUT
      write (message, '(a,i0,a)') 'source ', isrc, ' is not offered: use 1 planets and satellites, ' // &
        '3 minor.tab, 4 small.tab, 5 comet.tab or 6 exoplan.tab'
      return
    end if
    if (item < 1) then
      status = PORB_E_INPUT
      write (message, '(a,i0,a)') 'item ', item, ' does not exist: items are counted from 1'
      return
    end if
    if (isrc /= 1 .and. tc /= 0.0_dp) then
      status = PORB_E_INPUT
      message = 'the epoch (TC) applies to planets and satellites only (source 1); ' // &
        'for the other sources give 0'
      return
    end if
    write (buf, *) 'Entering PORBEL with IFILE,IPLAN=', isrc, item, SENT
    call log_ld(log, CH_SCREEN, buf, .true.)

    select case (isrc)
    case (1)
      call read_planet(dir, item, tc, pole, stop_at_pole, el, title, log, status, message)
      if (stop_at_pole .or. status /= PORB_OK) then
        set%title = title
        return
      end if
    case (3)
      call read_minor(dir, item, el, title, log, status, message)
    case (4)
      call read_small(dir, item, el, title, log, status, message)
    case (5)
      call read_comet(dir, item, el, title, log, status, message)
    case (6)
      call read_exoplanet(dir, item, el, title, log, status, message)
    end select
    if (status /= PORB_OK) return

    if (.not. (el%sja > 0.0_dp) .or. .not. (el%ecc >= 0.0_dp .and. el%ecc < 1.0_dp) .or. &
        .not. (abs(el%tjp) <= MAX_EPOCH_DAYS) .or. .not. (el%siday > 0.0_dp)) then
      status = PORB_E_BROKEN
      write (message, '(a,i0,a)') trim(table_name(isrc)) // ' item ', item, ' (' // trim(title) // &
        ') is refused: '
      if (.not. (el%sja > 0.0_dp) .or. .not. (el%ecc >= 0.0_dp .and. el%ecc < 1.0_dp)) then
        message = trim(message) // ' not a closed orbit (semi-major axis <= 0 or eccentricity ' // &
          'outside [0, 1)), so the period and perihelion date are undefined'
      else if (.not. (abs(el%tjp) <= MAX_EPOCH_DAYS)) then
        message = trim(message) // ' its epoch is more than 10,000 years from J2000.0 ' // &
          '(a typo in the table?)'
      else
        message = trim(message) // ' its rotation period is not positive'
      end if
      return
    end if

    ! Element report (section 6.3 item 2), then the conversion and the frames.
    call element_report(isrc, item, title, merge(tc, 0.0_dp, isrc == 1), el, log)
    set%title = title
    set%v(1) = real(100 * isrc + item, dp)
    set%v(2) = merge(tc, 0.0_dp, isrc == 1)
    set%v(3) = el%node * RDEG
    set%v(4) = el%inc * RDEG
    set%v(5) = el%argp * RDEG
    set%v(6) = el%ecc
    set%v(7) = el%sja
    set%v(8) = EOBL_J2000
    set%v(10) = el%pdec * RDEG
    set%v(11) = el%pra * RDEG
    set%v(14) = el%period
    set%v(15) = el%tjp
    set%v(16) = el%siday
    set%v(20) = real(kdebug, dp)
    set%v(31) = PICON
    set%v(32) = 180.0_dp / PICON
    call orbit_matrix(set%v(3), set%v(4), set%v(5), EOBL_J2000, isrc /= 6, a)
    call seasonal_frame(a, set%v(10), set%v(11), set%v)
    write (buf, *) set%title, SENT
    call log_ld(log, CH_SCREEN, buf, .false.)
    call log_add(log, CH_PRINT, '  INPUT FILE WAS: ' // set%title)
  end subroutine porb_compute

  !> Kepler's third law: P = Y*sqrt(a**3) with a**3 formed as (a*a)*a.
  pure function kepler_period(a) result(p)
    real(dp), intent(in) :: a
    real(dp) :: p
    p = YSID * sqrt((a * a) * a)
  end function kepler_period

  !> Source 1: the planet's orbit from standish.tab, the pole from spinaxis.tab.
  subroutine read_planet(dir, item, tc, pole, stop_at_pole, el, title, log, status, message)
    character(len=*), intent(in) :: dir, pole
    integer, intent(in) :: item
    real(dp), intent(in) :: tc
    logical, intent(in) :: stop_at_pole
    type(elements_t), intent(inout) :: el
    character(len=25), intent(out) :: title
    type(porb_log_t), intent(inout) :: log
    integer, intent(out) :: status
    character(len=*), intent(out) :: message
    character(len=25) :: pname
    character(len=12) :: want, rowname
    character(len=512) :: line
    character(len=PORB_LOGLEN) :: buf
    real(dp) :: e0(6), rate(6), v(6), row(6), p0, w
    type(table_t) :: u
    integer :: code, j, ios, k, lw

    status = PORB_OK
    message = ' '
    title = ' '
    call table_open(dir, 'standish.tab', 2 * (item - 1), log, u, code, j)
    if (code == 0) then
      pname = ' '
      e0 = UNSET
      rate = UNSET
      call tab_arv(u, pname, e0, ios)
      if (ios == 0) call tab_arv(u, rowname, rate, ios)
      if (ios < 0) code = 6
      if (ios > 0) code = 7
      if (code == 0 .and. (any(e0 == UNSET) .or. any(rate == UNSET))) then
        status = PORB_E_BROKEN
        write (message, '(a,i0,a)') 'standish.tab item ', item, ' lacks some of its 12 numbers'
        return
      end if
    end if
    if (code /= 0) then
      status = PORB_E_TABLE
      call table_error(log, 'standish.tab', item, code, title, j, message)
      return
    end if
    title = pname
    ! Elements moved to the epoch; the product is rounded before the sum.
    do k = 1, 6
      v(k) = e0(k) + tc * rate(k)
    end do
    p0 = kepler_period(e0(1))
    write (buf, *) 'base TJP=', -p0 * ((e0(4) - e0(5)) / 360.0_dp), SENT
    call log_ld(log, CH_SCREEN, buf, .true.)
    el%sja = v(1)
    el%ecc = v(2)
    el%inc = v(3)
    el%node = v(6)
    el%argp = v(5) - v(6)
    el%period = kepler_period(v(1))
    el%tjp = DAYS_CENT * tc - el%period * (mod(v(4) - v(5), 360.0_dp) / 360.0_dp)

    ! The pole row: scan from the planet's own row for the first name that
    ! starts with the pole name (case-sensitive).
    call table_open(dir, 'spinaxis.tab', item - 1, log, u, code, j)
    if (code /= 0) then
      status = PORB_E_TABLE
      call table_error(log, 'spinaxis.tab', item, code, title, j, message)
      return
    end if
    if (stop_at_pole) then
      return
    end if
    want = pole
    if (len_trim(want) == 0) want = pname(1:12)
    lw = len_trim(want)
    do
      call tab_line(u, line, ios)
      if (ios /= 0) then
        code = 4
        exit
      end if
      j = j + 1
      rowname = ' '
      read (line, *, iostat=ios) rowname
      if (ios /= 0) cycle
      if (rowname(1:lw) /= want(1:lw)) cycle
      row = UNSET
      read (line, *, iostat=ios) rowname, row
      if (ios /= 0 .or. any(row == UNSET)) code = 5
      exit
    end do
    if (code /= 0) then
      call table_error(log, 'spinaxis.tab', item, code, title, j, message)
      status = PORB_E_POLE
      write (message, '(a)') 'no spin-axis row of spinaxis.tab from ' // trim(pname) // &
        '''s onward starts with the pole name "' // trim(want) // '" (names are ' // &
        'case-sensitive, e.g. Moon, Phobos, Deimos, Io, Europa, Ganymede, Callisto); ' // &
        'nothing is saved'
      return
    end if
    title = trim(pname(1:12)) // ':' // want
    el%pra = row(1) + tc * row(2)
    el%pdec = row(3) + tc * row(4)
    w = row(6)
    if (.not. (w > 0.0_dp)) then
      status = PORB_E_BROKEN
      message = 'spinaxis.tab row ' // trim(rowname) // ' has no rotation rate'
      return
    end if
    el%siday = 8640.0_dp / w
  end subroutine read_planet

  !> Source 3: minor.tab (13 records per item).
  subroutine read_minor(dir, item, el, title, log, status, message)
    character(len=*), intent(in) :: dir
    integer, intent(in) :: item
    type(elements_t), intent(inout) :: el
    character(len=25), intent(out) :: title
    type(porb_log_t), intent(inout) :: log
    integer, intent(out) :: status
    character(len=*), intent(out) :: message
    character(len=PORB_LOGLEN) :: buf
    character(len=RECLEN) :: sep
    real(dp) :: x(10), jd, lam, bet, xx, yy, zz
    type(table_t) :: u
    integer :: code, j, ios, k
    logical :: empty

    status = PORB_OK
    message = ' '
    title = ' '
    empty = .false.
    call table_open(dir, 'minor.tab', 13 * (item - 1), log, u, code, j)
    if (code == 0) then
      call tab_line(u, sep, ios)          ! separator record
      if (ios == 0) then
        j = j + 1
        call tab_a(u, title, ios)
      end if
      if (ios < 0) code = 6
      if (ios > 0) code = 7
      if (code == 0) then
        j = j + 1
        call read_value(u, jd, code, empty, j)
      end if
      do k = 1, 10
        if (code /= 0) exit
        call read_value(u, x(k), code, empty, j)
        if (code == 0) then
          write (buf, *) k, x(k), SENT
          call log_ld(log, CH_SCREEN, buf, .true.)
        end if
      end do
    end if
    if (code /= 0) then
      status = PORB_E_TABLE
      call table_error(log, 'minor.tab', item, code, title, j, message)
      return
    end if
    if (empty) then
      call refuse_empty(item, 'minor.tab', title, status, message)
      return
    end if
    el%sja = x(1)
    el%ecc = x(2)
    el%inc = x(3)
    el%node = x(4)
    el%argp = x(5)
    el%period = kepler_period(el%sja)
    el%tjp = (jd - JD2000) - el%period * (x(6) / 360.0_dp)
    el%pra = x(7)
    el%pdec = x(8)
    el%siday = x(10)
    if (x(9) == 1.0_dp) then
      ! B1950 ecliptic longitude/latitude: rotated about x by the B1950
      ! obliquity only (section 5.3, as the original).
      lam = RDEG * x(7)
      bet = RDEG * x(8)
      zz = sin(EOBL_B1950) * sin(lam) * cos(bet) + cos(EOBL_B1950) * sin(bet)
      xx = cos(lam) * cos(bet)
      yy = cos(EOBL_B1950) * sin(lam) * cos(bet) - sin(EOBL_B1950) * sin(bet)
      el%pra = atan2(yy, xx) / RDEG
      el%pdec = atan2(zz, sqrt(xx * xx + yy * yy)) / RDEG
      write (buf, *) 'DPRA,DPDEC,Q4=', 0.0_dp, 90.0_dp, 0.0_dp, SENT
      call log_ld(log, CH_SCREEN, buf, .true.)
      write (buf, *) 'DPRA,DPDEC=', el%pra, el%pdec, SENT
      call log_ld(log, CH_SCREEN, buf, .true.)
    end if
  end subroutine read_minor

  subroutine refuse_empty(item, fname, title, status, message)
    integer, intent(in) :: item
    character(len=*), intent(in) :: fname, title
    integer, intent(out) :: status
    character(len=*), intent(out) :: message
    status = PORB_E_BROKEN
    if (len_trim(title) > 0) then
      write (message, '(a,i0,a)') trim(fname) // ' item ', item, ' (' // trim(title) // &
        ') is refused: a value record is empty, and the original would silently use the ' // &
        'value read before it'
    else
      write (message, '(a,i0,a)') trim(fname) // ' item ', item, ' is refused: a value ' // &
        'record is empty (is there such an item?)'
    end if
  end subroutine refuse_empty

  !> Source 4: small.tab (12 records per item: number name epoch, then label value).
  subroutine read_small(dir, item, el, title, log, status, message)
    character(len=*), intent(in) :: dir
    integer, intent(in) :: item
    type(elements_t), intent(inout) :: el
    character(len=25), intent(out) :: title
    type(porb_log_t), intent(inout) :: log
    integer, intent(out) :: status
    character(len=*), intent(out) :: message
    character(len=PORB_LOGLEN) :: buf
    character(len=12) :: label
    real(dp) :: x(11), jd
    type(table_t) :: u
    integer :: code, j, ios, k, inum
    logical :: empty

    status = PORB_OK
    message = ' '
    title = ' '
    empty = .false.
    call table_open(dir, 'small.tab', 12 * (item - 1), log, u, code, j)
    if (code == 0) then
      inum = 0
      jd = UNSET
      call tab_iar(u, inum, title, jd, ios)
      if (ios < 0) code = 6
      if (ios > 0) code = 7
      if (code == 0) then
        j = j + 1
        if (jd == UNSET) empty = .true.
        write (buf, *) inum, title, jd, SENT
        call log_ld(log, CH_SCREEN, buf, .true.)
      end if
      do k = 1, 11
        if (code /= 0) exit
        label = ' '
        x(k) = UNSET
        call tab_arv(u, label, x(k:k), ios)
        if (ios < 0) code = 6
        if (ios > 0) code = 7
        if (code == 0) then
          j = j + 1
          if (x(k) == UNSET) empty = .true.
          write (buf, *) k, label, x(k), SENT
          call log_ld(log, CH_SCREEN, buf, .true.)
        end if
      end do
    end if
    if (code /= 0) then
      status = PORB_E_TABLE
      call table_error(log, 'small.tab', item, code, title, j, message)
      return
    end if
    if (empty) then
      call refuse_empty(item, 'small.tab', title, status, message)
      return
    end if
    el%ecc = x(1)
    el%sja = x(2)
    el%inc = x(4)
    el%node = x(5)
    el%argp = x(6)
    el%period = kepler_period(el%sja)
    el%tjp = (jd - JD2000) - el%period * (x(7) / 360.0_dp)
    el%siday = x(8) / 24.0_dp
    el%pra = x(9)
    el%pdec = x(10)
  end subroutine read_small

  !> Days from 2000 Jan 1 noon to noon of a Gregorian calendar date.
  pure function days_from_j2000(iy, im, id) result(d)
    integer, intent(in) :: iy, im, id
    integer :: d, a, y, m
    a = (14 - im) / 12
    y = iy + 4800 - a
    m = im + 12 * a - 3
    d = id + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045 - 2451545
  end function days_from_j2000

  !> Source 5: comet.tab (10 records per item).
  subroutine read_comet(dir, item, el, title, log, status, message)
    character(len=*), intent(in) :: dir
    integer, intent(in) :: item
    type(elements_t), intent(inout) :: el
    character(len=25), intent(out) :: title
    type(porb_log_t), intent(inout) :: log
    integer, intent(out) :: status
    character(len=*), intent(out) :: message
    character(len=RECLEN) :: sep
    real(dp) :: x(6), f, q, pole(2)
    type(table_t) :: u
    integer :: code, j, ios, k, iy, im
    logical :: empty

    status = PORB_OK
    message = ' '
    title = ' '
    empty = .false.
    call table_open(dir, 'comet.tab', 10 * (item - 1), log, u, code, j)
    if (code == 0) then
      call tab_line(u, sep, ios)          ! separator record
      if (ios == 0) then
        j = j + 1
        call tab_a(u, title, ios)
      end if
      if (ios == 0) then
        j = j + 1
        iy = -huge(iy)
        im = -huge(im)
        f = UNSET
        call tab_iir(u, iy, im, f, ios)
        if (ios == 0 .and. (iy == -huge(iy) .or. im == -huge(im) .or. f == UNSET)) empty = .true.
      end if
      if (ios < 0) code = 6
      if (ios > 0) code = 7
      if (code == 0) j = j + 1
      do k = 1, 5
        if (code /= 0) exit
        call read_value(u, x(k), code, empty, j)
      end do
      if (code == 0) then
        pole = UNSET
        call tab_rv(u, pole, ios)
        if (ios < 0) code = 6
        if (ios > 0) code = 7
        if (code == 0) then
          j = j + 1
          if (any(pole == UNSET)) empty = .true.
          call read_value(u, x(6), code, empty, j)
        end if
      end if
    end if
    if (code /= 0) then
      status = PORB_E_TABLE
      call table_error(log, 'comet.tab', item, code, title, j, message)
      return
    end if
    if (empty .or. im < 1 .or. im > 12) then
      call refuse_empty(item, 'comet.tab', title, status, message)
      return
    end if
    el%argp = x(1)
    el%node = x(2)
    el%inc = x(3)
    q = x(4)
    el%ecc = x(5)
    if (el%ecc >= 1.0_dp) then
      el%sja = -1.0_dp             ! refused by the caller: not a closed orbit
      return
    end if
    el%sja = q / (1.0_dp - el%ecc)
    el%period = kepler_period(el%sja)
    el%tjp = real(days_from_j2000(iy, im, int(f)), dp) + ((f - aint(f)) - 0.5_dp)
    el%pra = pole(1)
    el%pdec = pole(2)
    el%siday = x(6)
  end subroutine read_comet

  !> Source 6: exoplan.tab (11 records per item).
  subroutine read_exoplanet(dir, item, el, title, log, status, message)
    character(len=*), intent(in) :: dir
    integer, intent(in) :: item
    type(elements_t), intent(inout) :: el
    character(len=25), intent(out) :: title
    type(porb_log_t), intent(inout) :: log
    integer, intent(out) :: status
    character(len=*), intent(out) :: message
    character(len=PORB_LOGLEN) :: buf
    character(len=80) :: sep
    real(dp) :: x(9), solcon
    type(table_t) :: u
    integer :: code, j, ios, k
    logical :: empty

    status = PORB_OK
    message = ' '
    title = ' '
    empty = .false.
    call table_open(dir, 'exoplan.tab', 11 * (item - 1), log, u, code, j)
    if (code == 0) then
      call tab_line(u, sep, ios)
      if (ios == 0) then
        j = j + 1
        write (buf, *) '600 buf=', sep(1:5), SENT
        call log_ld(log, CH_SCREEN, buf, .false.)
        call tab_a(u, title, ios)
      end if
      if (ios < 0) code = 6
      if (ios > 0) code = 7
      if (code == 0) then
        j = j + 1
        write (buf, *) title, SENT
        call log_ld(log, CH_SCREEN, buf, .false.)
      end if
      do k = 1, 9
        if (code /= 0) exit
        call read_value(u, x(k), code, empty, j)
        if (code == 0) then
          write (buf, *) k, x(k), SENT
          call log_ld(log, CH_SCREEN, buf, .true.)
        end if
      end do
    end if
    if (code /= 0) then
      status = PORB_E_TABLE
      call table_error(log, 'exoplan.tab', item, code, title, j, message)
      return
    end if
    if (empty) then
      call refuse_empty(item, 'exoplan.tab', title, status, message)
      return
    end if
    el%tjp = x(3) - JD2000
    el%sja = x(4)
    el%period = x(5)
    el%ecc = x(6)
    el%pdec = 90.0_dp - max(x(7), 0.1_dp)
    el%pra = 270.0_dp
    el%argp = x(8)
    el%node = 0.0_dp
    el%inc = 0.0_dp
    el%siday = x(9) / 24.0_dp
    ! Advice lines (not stored); the constants are single precision widened.
    solcon = 10.0_dp**(-real(0.4, dp) * (x(1) - real(4.83, dp))) * (x(2) / real(32.616, dp))**2
    write (buf, *) 'Star/Sun power factor=', solcon, ' * default SOLCON M <><>', SENT
    call log_ld(log, CH_SCREEN, buf, .false.)
    if (el%period > 0.0_dp) then
      write (buf, *) 'Synodic day =', el%siday * (1.0_dp + el%siday / el%period), &
        '  to KRC PERIOD <><>', SENT
      call log_ld(log, CH_SCREEN, buf, .false.)
    end if
  end subroutine read_exoplanet

  !> The element report of the print unit (section 6.3 item 2).
  subroutine element_report(isrc, item, title, tc, el, log)
    integer, intent(in) :: isrc, item
    character(len=25), intent(in) :: title
    real(dp), intent(in) :: tc
    type(elements_t), intent(in) :: el
    type(porb_log_t), intent(inout) :: log
    character(len=PORB_LOGLEN) :: buf
    call log_add(log, CH_PRINT, '0IFILE IPLAN FILE TITLE TCEN =')
    write (buf, '(2i4,2x,a12,2x,a10,f10.6)') isrc, item, table_name(isrc), title, tc
    call log_add(log, CH_PRINT, trim(buf))
    call log_add(log, CH_PRINT, '[double] ODE CLIN ARGP /radian =')
    write (buf, '(3f15.8)') el%node, el%inc, el%argp
    call log_add(log, CH_PRINT, trim(buf))
    write (buf, '(3f15.8)') el%node * RDEG, el%inc * RDEG, el%argp * RDEG
    call log_add(log, CH_PRINT, trim(buf))
    call log_add(log, CH_PRINT, ' SJA ECC TJP PERIOD =')
    write (buf, '(2f15.8,f15.5,f15.8)') el%sja, el%ecc, el%tjp, el%period
    call log_add(log, CH_PRINT, trim(buf))
    call log_add(log, CH_PRINT, ' SIDAY   [double] PDEC PRA  /radian =')
    write (buf, '(f15.8)') el%siday
    call log_add(log, CH_PRINT, trim(buf))
    write (buf, '(2f15.8)') el%pdec, el%pra
    call log_add(log, CH_PRINT, trim(buf))
    write (buf, '(2f15.8)') el%pdec * RDEG, el%pra * RDEG
    call log_add(log, CH_PRINT, trim(buf))
  end subroutine element_report

  ! ------------------------------------------------------------------ frames

  !> Orbit-frame -> J2000-equatorial matrix by the row-pair updates of
  !> section 5.7 (the last, by the obliquity, only when `equatorial`).
  subroutine orbit_matrix(node, inc, argp, eobl, equatorial, a)
    real(dp), intent(in) :: node, inc, argp, eobl
    logical, intent(in) :: equatorial
    real(dp), intent(out) :: a(3, 3)
    a = 0.0_dp
    a(1, 1) = 1.0_dp
    a(2, 2) = 1.0_dp
    a(3, 3) = 1.0_dp
    call rot_rows(a, 1, 2, -argp)
    call rot_rows(a, 2, 3, -inc)
    call rot_rows(a, 1, 2, -node)
    if (equatorial) call rot_rows(a, 2, 3, -eobl)
  end subroutine orbit_matrix

  subroutine rot_rows(a, p, q, phi)
    real(dp), intent(inout) :: a(3, 3)
    integer, intent(in) :: p, q
    real(dp), intent(in) :: phi
    real(dp) :: c, s, mp, mq
    integer :: k
    c = cos(phi)
    s = sin(phi)
    do k = 1, 3
      mp = a(p, k)
      mq = a(q, k)
      a(p, k) = c * mp + s * mq
      a(q, k) = c * mq - s * mp
    end do
  end subroutine rot_rows

  pure function dot3(u, w) result(d)
    real(dp), intent(in) :: u(3), w(3)
    real(dp) :: d
    d = 0.0_dp
    d = d + u(1) * w(1)
    d = d + u(2) * w(2)
    d = d + u(3) * w(3)
  end function dot3

  pure function cross3(u, w) result(c)
    real(dp), intent(in) :: u(3), w(3)
    real(dp) :: c(3)
    c(1) = u(2) * w(3) - u(3) * w(2)
    c(2) = u(3) * w(1) - u(1) * w(3)
    c(3) = u(1) * w(2) - u(2) * w(1)
  end function cross3

  !> BLIP, TAV and BFRM (values 18, 19, 22-30) from the orbit matrix and the
  !> pole (radians), section 5.8.
  subroutine seasonal_frame(a, pdec, pra, v)
    real(dp), intent(in) :: a(3, 3), pdec, pra
    real(dp), intent(inout) :: v(NPORBCM)
    real(dp) :: p(3), zb(3), xb(3), yb(3), q(3), zhat(3), theta, h
    integer :: k
    theta = PICON / 2.0_dp - pdec
    h = sin(theta)
    p(1) = h * cos(pra)
    p(2) = h * sin(pra)
    p(3) = cos(theta)
    v(19) = acos(dot3(a(:, 3), p))
    do k = 1, 3
      zb(k) = dot3(a(:, k), p)
    end do
    zhat = [0.0_dp, 0.0_dp, 1.0_dp]
    q = cross3(zb, zhat)
    xb = q * (1.0_dp / sqrt(dot3(q, q)))
    yb = cross3(zb, xb)
    do k = 1, 3
      v(19 + 3 * k) = xb(k)
      v(20 + 3 * k) = yb(k)
      v(21 + 3 * k) = zb(k)
    end do
    v(18) = atan2(xb(2), xb(1))
  end subroutine seasonal_frame

  ! ------------------------------------------------------------------ output

  !> The deck-ready block (section 6.1): header and six records of 75 characters.
  subroutine porb_block(set, runtime, header, lines)
    type(porb_set_t), intent(in) :: set
    character(len=20), intent(in) :: runtime
    character(len=*), intent(out) :: header
    character(len=75), intent(out) :: lines(6)
    integer :: r
    write (header, '(a14,1x,a20,a,f5.1,f8.5,1x,a)') PORB_VERSION, runtime, ' IPLAN,TC= ', &
      set%v(1), set%v(2), trim(set%title)
    do r = 1, 6
      write (lines(r), '(5g15.7)') set%v(5 * r - 4:5 * r)
    end do
  end subroutine porb_block

  !> Option 4: the set as the print unit gets it (section 6.3 item 6).
  subroutine porb_print_set(set, runtime, iop, log)
    type(porb_set_t), intent(in) :: set
    character(len=20), intent(in) :: runtime
    integer, intent(in) :: iop
    type(porb_log_t), intent(inout) :: log
    character(len=8), parameter :: labels(41) = [character(len=8) :: &
      'PLANUM', 'TC', 'ODE', 'CLIN', 'ARGP', 'ECC', 'SJA', 'OBL', 'SFLAG', 'ZBAA', &
      'ZBAB', 'WDOT', 'W0', 'OPERIOD', 'TJP', 'SIDAY', 'spar17', 'TAV', 'BLIP', 'BLIP', &
      'PBUG', 'BFRM:1', 'BFRM:2', 'BFRM:3', 'BFRM:4', 'BFRM:5', 'BFRM:6', 'BFRM:7', 'BFRM:8', &
      'BFRM:9', 'PICON', 'R2D', 'PHFXX:1', 'PHFXX:2', 'PHFXX:3', 'HPBXX:1', 'HPBXX:2', &
      'HPBXX:3', 'SPAV:1', 'SPAV:2', 'SPAV:3']
    character(len=PORB_LOGLEN) :: buf
    integer :: i0, i1
    call log_add(log, CH_PRINT, ' Object = ' // set%title)
    call log_add(log, CH_PRINT, '   PORBCM 1:30')
    i0 = 1
    do while (i0 <= NPORBCM)
      if (i0 == 31) call log_add(log, CH_PRINT, '   PORBCM 31:41')
      i1 = min(i0 + 4, merge(30, NPORBCM, i0 <= 30))
      write (buf, '(5(4x,a8))') labels(i0:i1)
      call log_add(log, CH_PRINT, buf(1:12 * (i1 - i0 + 1)))
      write (buf, '(5g12.5)') set%v(i0:i1)
      call log_add(log, CH_PRINT, buf(1:12 * (i1 - i0 + 1)))
      i0 = i1 + 1
    end do
    write (buf, '(a,4i8)') 'IOK,IOS,IOP,IOD=', 5, 6, iop, 4
    call log_add(log, CH_PRINT, buf(1:48))
    call log_add(log, CH_PRINT, 'RUNTIME=' // runtime(1:1))
  end subroutine porb_print_set

  !> Option 5: the rotation matrix and its test (section 2.5).
  subroutine porb_print_rot(set, log)
    type(porb_set_t), intent(in) :: set
    type(porb_log_t), intent(inout) :: log
    character(len=PORB_LOGLEN) :: buf
    real(dp) :: m(3, 3), det, dev, s
    integer :: r
    call log_add(log, CH_PRINT, ' ROTSHO dump of [BFRM]')
    do r = 1, 3
      write (buf, '(5x,3f10.6)') set%v(21 + r), set%v(24 + r), set%v(27 + r)
      call log_add(log, CH_PRINT, buf(1:35))
    end do
    m = reshape(set%v(22:30), [3, 3])
    det = m(1, 1) * (m(2, 2) * m(3, 3) - m(2, 3) * m(3, 2)) &
        - m(1, 2) * (m(2, 1) * m(3, 3) - m(2, 3) * m(3, 1)) &
        + m(1, 3) * (m(2, 1) * m(3, 2) - m(2, 2) * m(3, 1))
    dev = 0.0_dp
    do r = 1, 3
      s = dot3(m(r, :), m(r, :))
      dev = max(dev, 1.0_dp - s, s - 1.0_dp)
      s = dot3(m(:, r), m(:, r))
      dev = max(dev, 1.0_dp - s, s - 1.0_dp)
    end do
    write (buf, *) 'Delta Determ., max Dev =', abs(det - 1.0_dp), dev, SENT
    call log_ld(log, CH_SCREEN, buf, .true.)
  end subroutine porb_print_rot

  !> Read the first block of an ASCII block file (section 6.4), keeping the
  !> whole title (the original loses its first letter).
  subroutine porb_read_block(path, set, status, message)
    character(len=*), intent(in) :: path
    type(porb_set_t), intent(inout) :: set
    integer, intent(out) :: status
    character(len=*), intent(out) :: message
    character(len=512) :: head
    real(dp) :: v(30), planum, tc
    integer :: u, ios, r, k, p
    status = PORB_OK
    message = ' '
    open (newunit=u, file=trim(path), status='old', action='read', form='formatted', iostat=ios)
    if (ios /= 0) then
      status = PORB_E_FILE
      message = trim(path) // ': cannot be opened for reading (no such file?)'
      return
    end if
    read (u, '(a)', iostat=ios) head
    do r = 1, 6
      if (ios /= 0) exit
      read (u, '(5g15.7)', iostat=ios) v(5 * r - 4:5 * r)
    end do
    close (u)
    p = index(head, 'TC=')
    if (ios /= 0 .or. p == 0) then
      status = PORB_E_FILE
      message = trim(path) // ': not a PORB block (a header with "TC=" and six records ' // &
        'of five 15-column numbers)'
      return
    end if
    read (head(p + 3:), *, iostat=ios) planum, tc
    if (ios /= 0) then
      status = PORB_E_FILE
      message = trim(path) // ': the header''s IPLAN and TC cannot be read'
      return
    end if
    ! The title follows the two numbers after one blank.
    k = p + 3
    do r = 1, 2
      do while (k <= len(head))
        if (head(k:k) /= ' ') exit
        k = k + 1
      end do
      do while (k <= len(head))
        if (head(k:k) == ' ') exit
        k = k + 1
      end do
    end do
    set%v(1:30) = v
    set%title = head(min(k + 1, len(head)):)
  end subroutine porb_read_block

end module krc_porb

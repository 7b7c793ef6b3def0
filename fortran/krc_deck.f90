!> Reader of KRC 3.6.5 input decks (../shared/spec/krc-formats.md section 1):
!> control and debug lines, title, the fixed-column REAL/INTEGER/LOGICAL
!> blocks, latitudes, elevations, the PORB block (1.3-1.8), change lines of
!> every type with the end-of-case / end-of-run rules (1.9), KRC's input
!> resets (1.10) and zone tables (1.12).
!>
!> Fields follow the Fortran READ rules of 1.2: fixed fields are blank
!> padded, blanks are not significant, a field without a decimal point has
!> d implied decimals; list-directed lines split on blanks/tabs/commas, '/'
!> ends a read and leaves later items unchanged, strings may be quoted.
!>
!> Where KRC 3.6.5 prints a message and carries on (or stops) this reader
!> returns status DECK_E_READ with "file, line L, column C: what" (same
!> choices as legacy_wrap/krc/deck.py): change type > 16, index out of
!> range for types 1-3, unreadable items (437/438), end of file inside the
!> fixed blocks, KOLD /= 0, a missing or bad zone table.
!>
!> Library code: no STOP, no SAVE, no module state.  The reader state is a
!> deck_reader_t owned by the caller; the parameter common a deck_params_t.
module krc_deck
  use, intrinsic :: ieee_arithmetic, only: ieee_is_finite
  use krc_constants, only: dp, NFD, NID, NLD, MAXN4, NPORB, MAXN1, MAXN2, MAXN3, MAXNH, &
                           MSG_LEN, KRC_OK
  implicit none
  private

  public :: deck_params_t, deck_reader_t, deck_change_t
  public :: deck_open, deck_close, deck_header, deck_next, deck_checks, read_zone_table, deck_folder
  public :: read_zone_listing
  public :: read_season_table, deck_fixed_real
  public :: DK_CHANGE, DK_CHANGE_ENDS, DK_CASE, DK_RUN_END, DK_EOF
  public :: DECK_E_READ, DECK_E_OPEN, DECK_E_LIMIT
  public :: TITLE_LEN, TEXT_LEN, CHANGE_COLS, CH_BLANK, NFILES, itoa

  integer, parameter :: TITLE_LEN = 84      !< KITLE (1.3 item 3)
  integer, parameter :: TEXT_LEN = 74       !< TEXT of a change line (1.9.1)
  integer, parameter :: CHANGE_COLS = 80    !< change lines are read to column 80 (1.1)
  integer, parameter :: NFILES = 25         !< type-8 indices (1.9.3)
  integer, parameter :: MAX_ZONES = 1000    !< zone rows kept
  integer, parameter :: ZONE_HEAD = 20      !< C_END within the first 20 lines (1.12)
  integer, parameter :: SEASON_HEAD = 10    !< seasonal tables: 9 comment lines, C_END (1.12)
  integer, parameter :: MAX_SEASON_ROWS = 360
  integer, parameter :: CH_BLANK = -999     !< ch%t of a blank change line

  !> What deck_next read.
  integer, parameter :: DK_CHANGE = 1       !< a change line; the list goes on
  integer, parameter :: DK_CHANGE_ENDS = 2  !< a change line that also ends the list (439, 10, 11)
  integer, parameter :: DK_CASE = 3         !< type <= 0: the list ends, the case runs
  integer, parameter :: DK_RUN_END = 4      !< type <= 0 as the first line of a later list
  integer, parameter :: DK_EOF = 5          !< end of file: a pending list is not run

  integer, parameter :: DECK_E_READ = 40    !< the deck (or its zone table) cannot be read
  integer, parameter :: DECK_E_OPEN = 41    !< a file cannot be opened
  integer, parameter :: DECK_E_LIMIT = 42   !< more cases than the caller's arrays hold

  ! list-directed item kinds
  integer, parameter :: IT_END = 0, IT_VALUE = 1, IT_STRING = 2, IT_NULL = 3, IT_SLASH = 4

  !> The parameter common as the deck sets it (formats 1.5-1.8, 1.9).
  type :: deck_params_t
    real(dp) :: fd(NFD) = 0.0_dp
    integer :: id(NID) = 0
    logical :: ld(NLD) = .false.
    real(dp) :: alat(MAXN4) = 0.0_dp, elev(MAXN4) = 0.0_dp
    real(dp) :: porb(NPORB) = 0.0_dp
    character(len=TITLE_LEN) :: title = ' '
    integer :: kold = 0, keep = 0, kdb = 0
    integer :: idb(6) = 0
    !> zone table (4, nzone) named by '8 25' (1.12)
    integer :: nzone = 0
    real(dp), allocatable :: zone(:, :)
    !> names given by type-8 lines, by index (1.9.3); blank = none
    character(len=TEXT_LEN) :: files(NFILES) = ' '
    !> eclipse PARC(1..12), planetary flux PARW(1..7), type-16 NLAD + stem
    real(dp) :: parc(12) = 0.0_dp, parw(7) = 0.0_dp
    integer :: nlad = 0
    character(len=TEXT_LEN) :: tout_stem = ' '
  end type deck_params_t

  !> One change line as read (1.9): for types 12-16 vals holds the arrays
  !> after the change (for the print echo, formats 2.2).
  type :: deck_change_t
    integer :: t = 0
    integer :: index = 0
    real(dp) :: value = 0.0_dp
    character(len=TEXT_LEN) :: text = ' '
    character(len=CHANGE_COLS) :: raw = ' '
    integer :: line = 0
    integer :: nvals = 0
    real(dp) :: vals(12) = 0.0_dp
    logical :: applied = .true.     !< false: error 439, the list ends
    character(len=MSG_LEN) :: note = ' '  !< a warning about this line
    integer :: nread = 0            !< types 12-15: numbers read from the line
    integer :: col_value = 0, col_text = 0  !< columns of VALUE and TEXT (types 1-10)
  end type deck_change_t

  !> Reader state (the open deck and what KRC keeps from line to line).
  type :: deck_reader_t
    integer :: unit = 0
    logical :: is_open = .false.
    character(len=:), allocatable :: path, base_dir
    integer :: line = 0
    integer :: prev_type = 0, prev_index = 0
    real(dp) :: prev_value = 0.0_dp
    character(len=TEXT_LEN) :: prev_text = ' '
    logical :: first_list = .true.
    integer :: nlist = 0
    logical :: done = .false.
    logical :: pop21 = .false.
  end type deck_reader_t

  !> Deck labels of master.inp, for messages (formats 1.5-1.7).
  character(len=9), parameter :: FD_NAME(64) = [character(len=9) :: &
    'ALBEDO', 'EMISS', 'INERTIA', 'COND2', 'DENS2', 'PERIOD', 'SPEC_HEAT', 'DENSITY', &
    'CABR', 'AMW', 'SatPrA', 'PTOTAL', 'FANON', 'TATM', 'TDEEP', 'SpHeat2', &
    'TAUD', 'DUSTA', 'TAURAT', 'TWILI', 'ARC2_G0', 'ARC3_Safe', 'SLOPE', 'SLOAZI', &
    'TFROST', 'CFROST', 'AFROST', 'FEMIS', 'AF1', 'AF2', 'FROEXT', 'SatPrB', &
    'RLAY', 'FLAY', 'CONVF', 'DEPTH', 'DRSET', 'PhotoFunc', 'GGT', 'DTMAX', &
    'DJUL', 'DELJUL', 'SOLARDEC', 'DAU', 'LsubS', 'SOLCON', 'GRAV', 'Atm_Cp', &
    'ConUp0', 'ConUp1', 'ConUp2', 'ConUp3', 'ConLo0', 'ConLo1', 'ConLo2', 'ConLo3', &
    'SphUp0', 'SphUp1', 'SphUp2', 'SphUp3', 'SphLo0', 'SphLo1', 'SphLo2', 'SphLo3']
  character(len=9), parameter :: ID_NAME(20) = [character(len=9) :: &
    'N1', 'N2', 'N3', 'N4', 'N5', 'N24', 'IIB', 'IC2', 'NRSET', 'NMHA', 'NRUN', 'JDISK', &
    'IDOWN', 'FlxP14', 'TUN_Flx15', 'KPREF', 'K4OUT', 'JBARE', 'Notif', 'IDISK2']
  character(len=6), parameter :: LD_NAME(20) = [character(len=6) :: &
    'LP1', 'LP2', 'LP3', 'LP4', 'LP5', 'LP6', 'LPGLOB', 'LVFA', 'LVFT', 'LKofT', &
    'LPORB', 'LKEY', 'LSC', 'LZONE', 'LOCAL', 'Prt76', 'LPTAVE', 'Prt78', 'Prt79', 'L_ONE']

  character(len=7), parameter :: PORB_NAME(30) = [character(len=7) :: &
    'PLANUM', 'TC', 'RODE', 'CLIN', 'ARGP', 'XECC', 'SJA', 'EOBL', 'SFLAG', 'ZBAA', &
    'ZBAB', 'WDOT', 'W0', 'OPERIOD', 'TJP', 'SIDAY', 'PORB17', 'TAV', 'BLIP', 'PBUG', &
    'PORB21', 'BFRM1', 'BFRM2', 'BFRM3', 'BFRM4', 'BFRM5', 'BFRM6', 'BFRM7', 'BFRM8', 'BFRM9']
  !> Python attribute names of ID(1..20) (messages as legacy_wrap.krc.params words them).
  character(len=6), parameter :: ID_ATTR(20) = [character(len=6) :: &
    'n1', 'n2', 'n3', 'n4', 'n5', 'n24', 'iib', 'ic2', 'nrset', 'nmha', 'nrun', 'jdisk', &
    'idown', 'i14', 'i15', 'kpref', 'k4out', 'jbare', 'nmod', 'idisk2']
  character(len=13), parameter :: ONE_POINT_NAME(9) = [character(len=13) :: 'Ls', 'latitude', &
    'hour', 'elevation', 'albedo', 'inertia', 'dust opacity', 'slope', 'slope azimuth']

  type :: item_t
    integer :: kind = IT_END
    character(len=:), allocatable :: text
    integer :: col = 0
    logical :: unterminated = .false.
  end type item_t

  type :: lexer_t
    character(len=:), allocatable :: s
    integer :: pos = 1
    logical :: after_comma = .true.
    logical :: stopped = .false.
    integer :: rep_left = 0
    type(item_t) :: rep
  end type lexer_t

contains

  ! ------------------------------------------------------------------ files

  !> Open a deck.  base_dir ('' = working directory) resolves zone tables.
  subroutine deck_open(r, path, base_dir, status, message, label)
    type(deck_reader_t), intent(out) :: r
    character(len=*), intent(in) :: path, base_dir
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    !> the deck's name in messages (default: path)
    character(len=*), intent(in), optional :: label
    integer :: ios
    character(len=MSG_LEN) :: emsg

    status = KRC_OK
    message = ' '
    r%path = trim(path)
    r%base_dir = trim(base_dir)
    open (newunit=r%unit, file=r%path, status='old', action='read', form='formatted', &
          access='sequential', iostat=ios, iomsg=emsg)
    r%is_open = ios == 0
    if (present(label)) r%path = trim(label)
    if (ios /= 0) then
      status = DECK_E_OPEN
      message = 'cannot open the deck '//r%path//': '//trim(emsg)
    end if
  end subroutine deck_open

  !> Folder of a deck path ('' = the working directory), where its zone
  !> tables are looked up (as legacy_wrap/krc/deck.py does).
  pure function deck_folder(path) result(d)
    character(len=*), intent(in) :: path
    character(len=:), allocatable :: d
    integer :: k
    k = index(path, '/', back=.true.)
    if (k == 0) then
      d = ''
    else if (k == 1) then
      d = '/'
    else
      d = path(1:k - 1)
    end if
  end function deck_folder

  subroutine deck_close(r)
    type(deck_reader_t), intent(inout) :: r
    if (r%is_open) close (r%unit)
    r%is_open = .false.
  end subroutine deck_close

  !> Next line of a unit (any length), without the line end (LF or CRLF).
  !> ios: 0 ok, < 0 end of file, > 0 read error.
  subroutine get_line(unit, line, ios)
    integer, intent(in) :: unit
    character(len=:), allocatable, intent(out) :: line
    integer, intent(out) :: ios
    character(len=512) :: buf
    integer :: n
    logical :: got

    line = ''
    got = .false.
    do
      read (unit, '(a)', advance='no', iostat=ios, size=n) buf
      if (n > 0) then
        line = line//buf(1:n)
        got = .true.
      end if
      if (is_iostat_eor(ios)) then
        ios = 0
        exit
      end if
      if (ios /= 0) then
        ! a last line without a line end still counts
        if (is_iostat_end(ios) .and. got) ios = 0
        exit
      end if
    end do
    n = len(line)
    if (n > 0) then
      if (line(n:n) == achar(13)) line = line(1:n - 1)
    end if
  end subroutine get_line

  !> The next deck line; error "unexpected end of file: expected <what>".
  subroutine need(r, what, line, status, message)
    type(deck_reader_t), intent(inout) :: r
    character(len=*), intent(in) :: what
    character(len=:), allocatable, intent(out) :: line
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: ios

    status = KRC_OK
    message = ' '
    call get_line(r%unit, line, ios)
    if (ios /= 0) then
      line = ''
      if (ios > 0) then
        call fail(r%path, r%line + 1, 0, 'read error while expecting '//what, status, message)
      else
        call fail(r%path, r%line + 1, 0, 'unexpected end of file: expected '//what, status, &
                  message)
      end if
      return
    end if
    r%line = r%line + 1
  end subroutine need

  !> status = DECK_E_READ, message "path, line L, column C: text".
  subroutine fail(path, line, col, text, status, message)
    character(len=*), intent(in) :: path, text
    integer, intent(in) :: line, col
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=24) :: a, b

    status = DECK_E_READ
    write (a, '(i0)') line
    write (b, '(i0)') col
    if (line <= 0) then
      message = path//': '//text
    else if (col <= 0) then
      message = path//', line '//trim(a)//': '//text
    else
      message = path//', line '//trim(a)//', column '//trim(b)//': '//text
    end if
  end subroutine fail

  ! ------------------------------------------------------------------ fields (1.2)

  !> Characters k0..k0+w-1 of line, blank padded.
  pure function field(line, k0, w) result(f)
    character(len=*), intent(in) :: line
    integer, intent(in) :: k0, w
    character(len=w) :: f
    integer :: k
    f = ' '
    do k = 1, w
      if (k0 + k - 1 <= len(line)) f(k:k) = line(k0 + k - 1:k0 + k - 1)
    end do
  end function field

  !> Text without blanks and tabs.
  pure function no_blanks(s) result(t)
    character(len=*), intent(in) :: s
    character(len=:), allocatable :: t
    integer :: i
    t = ''
    do i = 1, len(s)
      if (s(i:i) /= ' ' .and. s(i:i) /= achar(9)) t = t//s(i:i)
    end do
  end function no_blanks

  pure logical function is_digit(c)
    character, intent(in) :: c
    is_digit = c >= '0' .and. c <= '9'
  end function is_digit

  !> Split a number [+-]digits[.digits][(eEdDqQ)[+-]digits | [+-]digits]:
  !> sign, integer digits, point present, fraction digits, exponent text.
  pure subroutine split_real(s, ok, sgn, ip, dot, fp, ex, has_ex)
    character(len=*), intent(in) :: s
    logical, intent(out) :: ok, dot, has_ex
    character(len=:), allocatable, intent(out) :: sgn, ip, fp, ex
    integer :: i, n, j0

    ok = .false.
    dot = .false.
    has_ex = .false.
    sgn = ''; ip = ''; fp = ''; ex = ''
    n = len(s)
    i = 1
    if (n == 0) return
    if (s(1:1) == '+' .or. s(1:1) == '-') then
      sgn = s(1:1)
      i = 2
    end if
    j0 = i
    do while (i <= n)
      if (.not. is_digit(s(i:i))) exit
      i = i + 1
    end do
    ip = s(j0:i - 1)
    if (i <= n) then
      if (s(i:i) == '.') then
        dot = .true.
        i = i + 1
        j0 = i
        do while (i <= n)
          if (.not. is_digit(s(i:i))) exit
          i = i + 1
        end do
        fp = s(j0:i - 1)
      end if
    end if
    if (i <= n) then
      has_ex = .true.
      if (index('eEdDqQ', s(i:i)) > 0) i = i + 1
      j0 = i
      if (i <= n) then
        if (s(i:i) == '+' .or. s(i:i) == '-') i = i + 1
      end if
      if (i > n) return
      do while (i <= n)
        if (.not. is_digit(s(i:i))) return
        i = i + 1
      end do
      ex = s(j0:n)
      ! a bare signed exponent needs its sign (e.g. 1.5-3)
      if (index('eEdDqQ', s(j0 - 1:j0 - 1)) == 0 .and. index('+-', ex(1:1)) == 0) return
    end if
    ok = .true.
  end subroutine split_real

  !> Decimal text -> double (correctly rounded by the run-time library).
  subroutine to_real(ip, fp, ex, sgn, x, ok)
    character(len=*), intent(in) :: ip, fp, ex, sgn
    real(dp), intent(out) :: x
    logical, intent(out) :: ok
    character(len=:), allocatable :: t
    integer :: ios, e
    t = sgn//'0'//ip//'.'//fp//'0'
    if (len(ex) > 0) then
      read (ex, *, iostat=ios) e
      if (ios /= 0) then
        ok = .false.
        x = 0.0_dp
        return
      end if
      t = t//'E'//ex
    end if
    read (t, *, iostat=ios) x
    ok = ios == 0
    if (ok) ok = ieee_is_finite(x)
  end subroutine to_real

  !> The fixed real field rules, for writers that check what a field reads as.
  subroutine deck_fixed_real(text, d, x, ok)
    character(len=*), intent(in) :: text
    integer, intent(in) :: d
    real(dp), intent(out) :: x
    logical, intent(out) :: ok
    call fixed_real(text, d, x, ok)
  end subroutine deck_fixed_real

  !> Fixed real field Fw.d / Gw.d input (1.2 rules 1-6).
  subroutine fixed_real(text, d, x, ok)
    character(len=*), intent(in) :: text
    integer, intent(in) :: d
    real(dp), intent(out) :: x
    logical, intent(out) :: ok
    character(len=:), allocatable :: s, sgn, ip, fp, ex, digits
    logical :: dot, has_ex
    integer :: nd

    x = 0.0_dp
    s = no_blanks(text)
    ok = .true.
    if (len(s) == 0) return
    call split_real(s, ok, sgn, ip, dot, fp, ex, has_ex)
    if (.not. ok) return
    if (len(ip) == 0 .and. len(fp) == 0) then
      ok = .not. has_ex
      if (ok .and. sgn == '-') x = -0.0_dp
      return
    end if
    if (.not. dot) then
      ! rule 5: the last d digits of the mantissa are the fraction
      digits = repeat('0', max(0, d + 1 - len(ip)))//ip
      nd = len(digits)
      ip = digits(1:nd - d)
      fp = digits(nd - d + 1:nd)
    end if
    call to_real(ip, fp, ex, sgn, x, ok)
  end subroutine fixed_real

  !> Fixed integer field Iw: blanks deleted, empty = 0, optional sign.
  subroutine fixed_int(text, iv, ok)
    character(len=*), intent(in) :: text
    integer, intent(out) :: iv
    logical, intent(out) :: ok
    call int_token(no_blanks(text), iv, ok, .true.)
  end subroutine fixed_int

  !> [+-]digits -> integer (empty allowed when empty_ok).
  subroutine int_token(s, iv, ok, empty_ok)
    character(len=*), intent(in) :: s
    integer, intent(out) :: iv
    logical, intent(out) :: ok
    logical, intent(in) :: empty_ok
    integer :: i, i0, ios

    iv = 0
    ok = .false.
    if (len(s) == 0) then
      ok = empty_ok
      return
    end if
    i0 = 1
    if (s(1:1) == '+' .or. s(1:1) == '-') i0 = 2
    if (i0 > len(s) .or. len(s) > 12) return
    do i = i0, len(s)
      if (.not. is_digit(s(i:i))) return
    end do
    read (s, *, iostat=ios) iv
    ok = ios == 0
  end subroutine int_token

  !> Fixed logical field Lw: leading blanks, optional '.', then T/t or F/f.
  subroutine fixed_logical(text, lv, ok)
    character(len=*), intent(in) :: text
    logical, intent(out) :: lv, ok
    integer :: i
    lv = .false.
    ok = .false.
    i = 1
    do while (i <= len(text))
      if (text(i:i) /= ' ' .and. text(i:i) /= achar(9)) exit
      i = i + 1
    end do
    if (i > len(text)) return
    if (text(i:i) == '.') i = i + 1
    if (i > len(text)) return
    select case (text(i:i))
    case ('T', 't')
      lv = .true.; ok = .true.
    case ('F', 'f')
      lv = .false.; ok = .true.
    end select
  end subroutine fixed_logical

  !> A list-directed real token (Fortran syntax, D exponents); ok = false if not a number.
  subroutine list_real(tok, x, ok)
    character(len=*), intent(in) :: tok
    real(dp), intent(out) :: x
    logical, intent(out) :: ok
    character(len=:), allocatable :: sgn, ip, fp, ex
    logical :: dot, has_ex
    x = 0.0_dp
    ok = .false.
    if (len(tok) == 0 .or. len(tok) > 400) return
    call split_real(tok, ok, sgn, ip, dot, fp, ex, has_ex)
    if (.not. ok) return
    if (len(ip) == 0 .and. len(fp) == 0) then
      ok = .false.
      return
    end if
    call to_real(ip, fp, ex, sgn, x, ok)
  end subroutine list_real

  ! ------------------------------------------------------------------ list-directed items (1.2)

  subroutine lexer_init(lx, s)
    type(lexer_t), intent(out) :: lx
    character(len=*), intent(in) :: s
    lx%s = s
    lx%pos = 1
    lx%after_comma = .true.
    lx%stopped = .false.
    lx%rep_left = 0
  end subroutine lexer_init

  pure logical function is_blank(c)
    character, intent(in) :: c
    is_blank = c == ' ' .or. c == achar(9)
  end function is_blank

  !> The next list-directed item of a record; IT_END after the last one or a slash.
  subroutine next_item(lx, it)
    type(lexer_t), intent(inout) :: lx
    type(item_t), intent(out) :: it
    integer :: n, start, j, nrep, ios
    character :: c, q

    it%kind = IT_END
    it%text = ''
    if (lx%rep_left > 0) then
      lx%rep_left = lx%rep_left - 1
      it = lx%rep
      return
    end if
    if (lx%stopped) return
    n = len(lx%s)
    do
      do while (lx%pos <= n)
        if (.not. is_blank(lx%s(lx%pos:lx%pos))) exit
        lx%pos = lx%pos + 1
      end do
      if (lx%pos > n) then
        lx%stopped = .true.
        return
      end if
      c = lx%s(lx%pos:lx%pos)
      start = lx%pos
      if (c == ',') then
        lx%pos = lx%pos + 1
        if (lx%after_comma) then
          it%kind = IT_NULL
          it%col = start
          return
        end if
        lx%after_comma = .true.
        cycle
      end if
      exit
    end do
    if (c == '/') then
      it%kind = IT_SLASH
      it%col = start
      lx%stopped = .true.
      return
    end if
    if (c == "'" .or. c == '"') then
      q = c
      it%kind = IT_STRING
      it%col = start
      lx%pos = lx%pos + 1
      do
        if (lx%pos > n) then
          it%unterminated = .true.
          lx%stopped = .true.
          return
        end if
        if (lx%s(lx%pos:lx%pos) == q) then
          if (lx%pos + 1 <= n) then
            if (lx%s(lx%pos + 1:lx%pos + 1) == q) then
              it%text = it%text//q
              lx%pos = lx%pos + 2
              cycle
            end if
          end if
          lx%pos = lx%pos + 1
          exit
        end if
        it%text = it%text//lx%s(lx%pos:lx%pos)
        lx%pos = lx%pos + 1
      end do
    else
      do while (lx%pos <= n)
        if (index(' ,/'//achar(9), lx%s(lx%pos:lx%pos)) > 0) exit
        lx%pos = lx%pos + 1
      end do
      it%kind = IT_VALUE
      it%col = start
      it%text = lx%s(start:lx%pos - 1)
      ! r*c repeat (r = 1..999999 digits); r* alone repeats a null
      j = index(it%text, '*')
      if (j >= 2 .and. j <= 7) then
        if (verify(it%text(1:j - 1), '0123456789') == 0) then
          read (it%text(1:j - 1), *, iostat=ios) nrep
          if (ios == 0 .and. nrep > 0) then
            lx%rep%col = start
            lx%rep%unterminated = .false.
            if (j < len(it%text)) then
              lx%rep%kind = IT_VALUE
              lx%rep%text = it%text(j + 1:)
            else
              lx%rep%kind = IT_NULL
              lx%rep%text = ''
            end if
            lx%rep_left = nrep - 1
            it = lx%rep
          end if
        end if
      end if
    end if
    ! after an item: blanks, then one comma separator
    lx%after_comma = .false.
    do while (lx%pos <= n)
      if (.not. is_blank(lx%s(lx%pos:lx%pos))) exit
      lx%pos = lx%pos + 1
    end do
    if (lx%pos <= n) then
      if (lx%s(lx%pos:lx%pos) == ',') then
        lx%pos = lx%pos + 1
        lx%after_comma = .true.
      end if
    end if
  end subroutine next_item

  !> count integers read list-directed from as many lines as needed (control
  !> and debug lines, 1.4); a slash or missing (null) items leave 0.
  subroutine list_ints(r, count, what, vals, status, message)
    type(deck_reader_t), intent(inout) :: r
    integer, intent(in) :: count
    character(len=*), intent(in) :: what
    integer, intent(out) :: vals(count)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=:), allocatable :: line
    type(lexer_t) :: lx
    type(item_t) :: it
    integer :: got, v
    logical :: ok

    vals = 0
    got = 0
    do while (got < count)
      call need(r, what, line, status, message)
      if (status /= KRC_OK) return
      call lexer_init(lx, line)
      do
        call next_item(lx, it)
        if (it%kind == IT_END) exit
        if (it%kind == IT_SLASH) return
        got = got + 1
        if (it%kind == IT_VALUE) then
          call int_token(it%text, v, ok, .false.)
          if (.not. ok) then
            call fail(r%path, r%line, it%col, 'expected an integer in '//what//', found '// &
                      quoted(it%text), status, message)
            return
          end if
          vals(got) = v
        else if (it%kind == IT_STRING) then
          call fail(r%path, r%line, it%col, 'expected an integer in '//what//', found '// &
                    quoted(it%text), status, message)
          return
        end if
        if (got == count) exit
      end do
    end do
  end subroutine list_ints

  pure function quoted(s) result(q)
    character(len=*), intent(in) :: s
    character(len=:), allocatable :: q
    q = "'"//s//"'"
  end function quoted

  !> What a bad fixed field holds, for messages.
  pure function found(f) result(q)
    character(len=*), intent(in) :: f
    character(len=:), allocatable :: q
    if (len_trim(f) == 0) then
      q = 'a blank field'
    else
      q = quoted(trim(adjustl(f)))
    end if
  end function found

  !> 'n5 (N5, ID 5)': an INTEGER parameter in messages.
  function id_label(i) result(s)
    integer, intent(in) :: i
    character(len=:), allocatable :: s
    if (i >= 1 .and. i <= 20) then
      s = trim(ID_ATTR(i))//' ('//trim(ID_NAME(i))//', ID '//itoa(i)//')'
    else
      s = 'id24 (ID24, ID '//itoa(i)//')'
    end if
  end function id_label

  !> NINT of a large real as digits (for messages).
  function big_int(x) result(s)
    real(dp), intent(in) :: x
    character(len=:), allocatable :: s
    character(len=40) :: b
    if (abs(x) < 9.0e18_dp) then
      write (b, '(i0)') nint(x, kind=selected_int_kind(18))
    else
      write (b, '(es12.5)') x
    end if
    s = trim(adjustl(b))
  end function big_int

  !> A fixed-field value (2 decimals) as the shortest text, e.g. -95.0.
  function fixed_text(x) result(s)
    real(dp), intent(in) :: x
    character(len=:), allocatable :: s
    character(len=40) :: b
    integer :: n
    if (.not. abs(x) < 1.0e15_dp) then        ! (a huge or non-finite value: no f0.2)
      write (b, '(es14.6)') x
      s = trim(adjustl(b))
      return
    end if
    write (b, '(f0.2)') x
    s = trim(adjustl(b))
    n = len(s)
    if (s(n:n) == '0') s = s(1:n - 1)
    if (s(1:1) == '.') s = '0'//s
    if (s(1:2) == '-.') s = '-0'//s(2:)
  end function fixed_text

  !> True for a well-formed number too large for a double (e.g. 1e999).
  logical function overflows(tok)
    character(len=*), intent(in) :: tok
    character(len=:), allocatable :: sgn, ip, fp, ex
    logical :: ok, dot, has_ex
    real(dp) :: x
    call split_real(tok, ok, sgn, ip, dot, fp, ex, has_ex)
    overflows = .false.
    if (.not. ok .or. (len(ip) == 0 .and. len(fp) == 0)) return
    call to_real(ip, fp, ex, sgn, x, ok)
    overflows = .not. ok
  end function overflows

  !> An integer as text without blanks (also used by the krc program).
  pure function itoa(i) result(s)
    integer, intent(in) :: i
    character(len=:), allocatable :: s
    character(len=24) :: b
    write (b, '(i0)') i
    s = trim(b)
  end function itoa

  ! ------------------------------------------------------------------ items 1-9 (1.3)

  !> Read the control line through the PORB block into p (formats 1.3
  !> items 1-9).  The file names, zone table, eclipse/flux/type-16 settings
  !> of p are kept (a type-9 line reads a new deck into the same common).
  subroutine deck_header(r, p, status, message)
    type(deck_reader_t), intent(inout) :: r
    type(deck_params_t), intent(inout) :: p
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=:), allocatable :: line
    integer :: ctl(3), row, k, i, n4
    logical :: ok
    character(len=*), parameter :: FD_LAB(8) = [character(len=24) :: 'ALBEDO .. DENSITY', &
      'CABR .. SpHeat2', 'TAUD .. SLOAZI', 'TFROST .. SatPrB', 'RLAY .. DTMAX', &
      'DJUL .. Atm_Cp', 'ConUp0 .. ConLo3', 'SphUp0 .. SphLo3']

    call list_ints(r, 3, 'the control line (KOLD KEEP [KDB])', ctl, status, message)
    if (status /= KRC_OK) return
    p%kold = ctl(1); p%keep = ctl(2); p%kdb = ctl(3)
    if (p%kold /= 0) then
      call fail(r%path, r%line, 1, 'KOLD = '//itoa(p%kold)//': restarting from a '// &
                'direct-access file is not supported (it cannot work in KRC 3.6.5); use '// &
                'KOLD = 0', status, message)
      return
    end if
    p%idb = 0
    if (p%kdb /= 0) then
      call list_ints(r, 6, 'the debug line (six integers IDB1..IDB6)', p%idb, status, message)
      if (status /= KRC_OK) return
    end if
    call need(r, 'the title line', line, status, message)
    if (status /= KRC_OK) return
    p%title = field(line, 1, TITLE_LEN)

    p%fd = 0.0_dp
    do row = 0, 7
      call need(r, 'the REAL block label line over '//trim(FD_LAB(row + 1)), line, status, message)
      if (status /= KRC_OK) return
      call need(r, 'the REAL block value line of '//trim(FD_LAB(row + 1)), line, status, message)
      if (status /= KRC_OK) return
      do k = 0, 7
        i = 8*row + k + 1
        call real_field(r, line, k, 10, 2, trim(FD_NAME(i)), p%fd(i), status, message)
        if (status /= KRC_OK) return
      end do
    end do

    p%id = 0
    p%id(24) = 8    ! ID24 is reset to 8 at program start (formats 1.6)
    do row = 0, 2
      call need(r, 'the INTEGER block label line', line, status, message)
      if (status /= KRC_OK) return
      call need(r, 'the INTEGER block value line '//itoa(row + 1)//' of 3', line, status, message)
      if (status /= KRC_OK) return
      do k = 0, min(7, 19 - 8*row)
        i = 8*row + k + 1
        call fixed_int(field(line, 10*k + 1, 10), p%id(i), ok)
        if (.not. ok) then
          call fail(r%path, r%line, 10*k + 1, 'expected an integer in the I10 field '// &
                    trim(ID_NAME(i))//' (columns '//itoa(10*k + 1)//'-'// &
                    itoa(10*k + 10)//'), found '//found(field(line, 10*k + 1, 10)), status, &
                    message)
          return
        end if
      end do
    end do

    do row = 0, 1
      call need(r, 'the LOGICAL block label line', line, status, message)
      if (status /= KRC_OK) return
      call need(r, 'the LOGICAL block value line '//itoa(row + 1)//' of 2', line, status, message)
      if (status /= KRC_OK) return
      do k = 0, 9
        i = 10*row + k + 1
        call fixed_logical(field(line, 7*k + 1, 7), p%ld(i), ok)
        if (.not. ok) then
          call fail(r%path, r%line, 7*k + 1, 'expected T or F in the L7 field '// &
                    trim(LD_NAME(i))//' (columns '//itoa(7*k + 1)//'-'// &
                    itoa(7*k + 7)//'), found '//found(field(line, 7*k + 1, 7)), status, message)
          return
        end if
      end do
    end do

    n4 = p%id(4)
    if (n4 < 1 .or. n4 > MAXN4) then
      call fail(r%path, r%line - 8, 31, 'in the I10 field N4 (columns 31-40): n4 (N4, ID 4) = '// &
                itoa(n4)//' is out of range: allowed [1, '//itoa(MAXN4)//']', status, message)
      return
    end if
    p%alat = 0.0_dp
    p%elev = 0.0_dp
    call need(r, 'the latitude label line', line, status, message)
    if (status /= KRC_OK) return
    call read_rows(r, p%alat, n4, 'latitude', status, message)
    if (status /= KRC_OK) return
    call need(r, 'the elevation label line', line, status, message)
    if (status /= KRC_OK) return
    call read_rows(r, p%elev, n4, 'elevation', status, message)
    if (status /= KRC_OK) return
    p%porb = 0.0_dp
    if (p%ld(11)) then
      call read_porb(r, p%porb, status, message)
      if (status /= KRC_OK) return
    end if
    p%nzone = 0
    if (allocated(p%zone)) deallocate (p%zone)
  end subroutine deck_header

  !> One fixed real field k (0-based) of width w, d implied decimals.
  subroutine real_field(r, line, k, w, d, name, x, status, message)
    type(deck_reader_t), intent(in) :: r
    character(len=*), intent(in) :: line, name
    integer, intent(in) :: k, w, d
    real(dp), intent(out) :: x
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    logical :: ok
    character(len=8) :: fmt

    status = KRC_OK
    message = ' '
    call fixed_real(field(line, k*w + 1, w), d, x, ok)
    if (.not. ok) then
      if (w == 15) then
        write (fmt, '(a,i0,a,i0)') 'G', w, '.', d
      else
        write (fmt, '(a,i0,a,i0)') 'F', w, '.', d
      end if
      call fail(r%path, r%line, k*w + 1, 'expected a number in the '//trim(fmt)//' field '// &
                name//' (columns '//itoa(k*w + 1)//'-'//itoa(k*w + w)//'), found '// &
                found(field(line, k*w + 1, w)), status, message)
    end if
  end subroutine real_field

  !> ceil(n/10) rows of 10F7.2; the first n fields go to target (1.8).
  subroutine read_rows(r, target, n, name, status, message)
    type(deck_reader_t), intent(inout) :: r
    real(dp), intent(inout) :: target(MAXN4)
    integer, intent(in) :: n
    character(len=*), intent(in) :: name
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=:), allocatable :: line
    integer :: row, k, i, nrow

    status = KRC_OK
    message = ' '
    nrow = (n + 9)/10
    do row = 0, nrow - 1
      call need(r, name//' row '//itoa(row + 1)//' ('//itoa(nrow)//' rows of 10F7.2 for N4 = '// &
                itoa(n)//')', line, status, message)
      if (status /= KRC_OK) return
      do k = 0, min(9, n - 10*row - 1)
        i = 10*row + k + 1
        call real_field(r, line, k, 7, 2, name//' '//itoa(i), target(i), status, message)
        if (status /= KRC_OK) return
        if (name == 'latitude' .and. abs(target(i)) > 90.0_dp) then
          call fail(r%path, r%line, 7*k + 1, 'latitude '//itoa(i)//' = '// &
                    fixed_text(target(i))//' deg is out of range: allowed [-90, 90]', status, &
                    message)
          return
        end if
      end do
    end do
  end subroutine read_rows

  !> PORB block: a free header line, then 6 rows of 5G15.7 (1.8).
  subroutine read_porb(r, porb, status, message)
    type(deck_reader_t), intent(inout) :: r
    real(dp), intent(out) :: porb(NPORB)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=:), allocatable :: line
    integer :: row, k, i

    porb = 0.0_dp
    call need(r, 'the PORB header line (LPORB is true)', line, status, message)
    if (status /= KRC_OK) return
    do row = 0, 5
      call need(r, 'PORB row '//itoa(row + 1)//' of 6 (5G15.7)', line, status, message)
      if (status /= KRC_OK) return
      do k = 0, 4
        i = 5*row + k + 1
        call real_field(r, line, k, 15, 7, 'PORB '//itoa(i)//' ('//trim(PORB_NAME(i))//')', &
                        porb(i), status, message)
        if (status /= KRC_OK) return
      end do
    end do
  end subroutine read_porb

  ! ------------------------------------------------------------------ change lines (1.9)

  !> Read the next change line, apply it to p and say what it was (kind).
  subroutine deck_next(r, p, ch, kind, status, message)
    type(deck_reader_t), intent(inout) :: r
    type(deck_params_t), intent(inout) :: p
    type(deck_change_t), intent(out) :: ch
    integer, intent(out) :: kind
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=:), allocatable :: raw
    integer :: ios
    logical :: is_end

    status = KRC_OK
    message = ' '
    kind = DK_RUN_END
    if (r%done) return
    ! an '8 21' name applies to one case only (1.9.3)
    if (r%pop21) p%files(21) = ' '
    r%pop21 = .false.
    call get_line(r%unit, raw, ios)
    if (ios > 0) then
      call fail(r%path, r%line + 1, 0, 'read error', status, message)
      return
    end if
    if (ios < 0) then
      kind = DK_EOF
      r%done = .true.
      return
    end if
    r%line = r%line + 1
    call change_line(r, p, raw, ch, is_end, status, message)
    if (status /= KRC_OK) return
    if (is_end) then
      if (.not. r%first_list .and. r%nlist == 0) then
        kind = DK_RUN_END
        r%done = .true.
      else
        kind = DK_CASE
        r%first_list = .false.
        r%nlist = 0
        r%pop21 = .true.
      end if
      return
    end if
    r%nlist = r%nlist + 1
    if (.not. ch%applied .or. ch%t == 10 .or. ch%t == 11) then
      kind = DK_CHANGE_ENDS
      r%first_list = .false.
      r%nlist = 0
      r%pop21 = .true.
      ! type 10: one-point mode; nothing after this line is read (1.11)
      if (ch%t == 10) r%done = .true.
    else
      kind = DK_CHANGE
    end if
  end subroutine deck_next

  !> One change line (1.9.1); is_end for a type <= 0 line.
  subroutine change_line(r, p, raw, ch, is_end, status, message)
    type(deck_reader_t), intent(inout) :: r
    type(deck_params_t), intent(inout) :: p
    character(len=*), intent(in) :: raw
    type(deck_change_t), intent(inout) :: ch
    logical, intent(out) :: is_end
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=CHANGE_COLS) :: buf
    type(lexer_t) :: lx
    type(item_t) :: first
    integer :: t
    logical :: ok

    status = KRC_OK
    message = ' '
    is_end = .false.
    buf = field(raw, 1, CHANGE_COLS)
    ch%raw = buf
    ch%line = r%line
    call lexer_init(lx, raw(1:min(len(raw), CHANGE_COLS)))
    call next_item(lx, first)
    if (first%kind == IT_END) then
      ! blank line: error 439, not applied, the list ends (quirk 3)
      ch%t = CH_BLANK
      ch%applied = .false.
      ch%note = 'blank change line (KRC error 439): the change list ends'
      return
    end if
    if (first%kind == IT_SLASH .or. first%kind == IT_NULL) then
      t = r%prev_type
    else
      ok = .false.
      if (first%kind == IT_VALUE) call int_token(first%text, t, ok, .false.)
      if (.not. ok) then
        call fail(r%path, r%line, first%col, 'expected an integer change type (0-16) as the '// &
                  'first item, found '//quoted(first%text), status, message)
        return
      end if
    end if
    r%prev_type = t
    ch%t = t
    if (t <= 0) then
      is_end = .true.
      return
    end if
    if (t > 16) then
      call fail(r%path, r%line, first%col, 'unknown change type '//itoa(t)// &
                ': valid types are 0-16', status, message)
      return
    end if
    if (t <= 10) then
      call change_1_10(r, p, t, lx, first%kind == IT_SLASH, ch, status, message)
    else if (t == 11) then
      call change_11(r, buf, ch, status, message)
    else
      call change_12_16(r, p, t, lx, first%kind == IT_SLASH, ch, status, message)
    end if
  end subroutine change_line

  !> Types 1-10: T, INDEX, VALUE, TEXT (1.9.1 item 3, 1.9.2).
  subroutine change_1_10(r, p, t, lx, slashed0, ch, status, message)
    type(deck_reader_t), intent(inout) :: r
    type(deck_params_t), intent(inout) :: p
    integer, intent(in) :: t
    type(lexer_t), intent(inout) :: lx
    logical, intent(in) :: slashed0
    type(deck_change_t), intent(inout) :: ch
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(item_t) :: it
    integer :: index, got, k, cols(3), iv
    real(dp) :: value
    character(len=:), allocatable :: text
    logical :: slashed, ok, unterminated

    status = KRC_OK
    message = ' '
    index = r%prev_index
    value = r%prev_value
    text = trim(r%prev_text)
    got = 1
    cols = 0
    slashed = slashed0
    unterminated = .false.
    if (.not. slashed) then
      do k = 1, 3
        call next_item(lx, it)
        if (it%kind == IT_END) exit
        if (it%kind == IT_SLASH) then
          slashed = .true.
          exit
        end if
        got = got + 1
        cols(k) = it%col
        if (it%kind == IT_NULL) cycle
        select case (k)
        case (1)
          ok = .false.
          if (it%kind == IT_VALUE) call int_token(it%text, index, ok, .false.)
          if (.not. ok) then
            call fail(r%path, r%line, it%col, 'type '//itoa(t)//' line: expected an integer '// &
                      'INDEX, found '//quoted(it%text), status, message)
            return
          end if
        case (2)
          ok = .false.
          if (it%kind == IT_VALUE) call list_real(it%text, value, ok)
          if (.not. ok) then
            if (it%kind == IT_VALUE .and. overflows(it%text)) then
              call fail(r%path, r%line, it%col, 'type '//itoa(t)//' line: VALUE '// &
                        trim(merge('-inf', 'inf ', it%text(1:1) == '-'))// &
                        ' is not a finite number', status, message)
            else
              call fail(r%path, r%line, it%col, 'type '//itoa(t)//' line: expected a number '// &
                        'VALUE, found '//quoted(it%text), status, message)
            end if
            return
          end if
        case (3)
          text = trim(it%text)
          unterminated = it%unterminated
        end select
      end do
    end if
    r%prev_index = index
    r%prev_value = value
    r%prev_text = text
    ch%index = index
    ch%col_value = cols(2)
    ch%col_text = cols(3)
    ch%value = value
    ch%text = text
    if (got < 4 .and. .not. slashed) then
      ! error 439: too few items and no '/': not applied, the list ends
      ch%applied = .false.
      ch%note = 'line '//itoa(r%line)//' has too few items and no ''/'' (KRC error 439): '// &
                'not applied, the change list ends'
      return
    end if
    if (len(text) > TEXT_LEN) then
      ch%note = 'line '//itoa(r%line)//': text longer than '//itoa(TEXT_LEN)//' characters cut'
      text = trim(text(1:TEXT_LEN))
    end if
    if (unterminated) ch%note = 'line '//itoa(r%line)//': unterminated quote: the rest of '// &
                                'the line (to column 80) is the text '//quoted(trim(text))
    r%prev_text = text
    ch%text = text

    select case (t)
    case (1)
      if (index < 1 .or. index > 64) then
        call fail(r%path, r%line, max(cols(1), 1), 'type 1 line: INDEX '//itoa(index)// &
                  ' is outside 1..64 (REAL parameters FD)', status, message)
        return
      end if
      p%fd(index) = value
    case (2)
      if (.not. ((index >= 1 .and. index <= 20) .or. index == 24)) then
        call fail(r%path, r%line, max(cols(1), 1), 'type 2 line: INDEX '//itoa(index)// &
                  ' is outside 1..20 and not 24 (INTEGER parameters ID)', status, message)
        return
      end if
      if (value >= 2147483647.5_dp .or. value <= -2147483648.5_dp) then
        call fail(r%path, r%line, max(cols(2), 1), 'type 2 line: '//id_label(index)//' = '// &
                  big_int(value)//' does not fit a 32-bit integer', status, message)
        return
      end if
      iv = nint(value)
      if (index == 4 .and. (iv < 1 .or. iv > MAXN4)) then
        call fail(r%path, r%line, max(cols(2), 1), 'type 2 line: N4 = '//itoa(iv)// &
                  ' is out of range: allowed [1, '//itoa(MAXN4)//']', status, message)
        return
      end if
      p%id(index) = iv
    case (3)
      if (index < 1 .or. index > 20) then
        call fail(r%path, r%line, max(cols(1), 1), 'type 3 line: INDEX '//itoa(index)// &
                  ' is outside 1..20 (LOGICAL parameters LD)', status, message)
        return
      end if
      p%ld(index) = value > 0.0_dp
    case (4)
      ! broken in 3.6.5 (the program aborts); read as intended (quirk 2)
      call read_rows(r, p%alat, p%id(4), 'latitude', status, message)
    case (5)
      call read_rows(r, p%elev, p%id(4), 'elevation', status, message)
    case (6)
      call read_porb(r, p%porb, status, message)
    case (7)
      p%title = text
    case (8)
      call change_8(r, p, index, text, max(cols(3), 1), ch, status, message)
    case (9)
      ! close all outputs, then a complete new deck (1.3 items 1-9)
      p%files(5) = ' '
      p%files(21) = ' '
      call deck_header(r, p, status, message)
    case (10)
      continue
    end select
  end subroutine change_1_10

  !> Type 8: file names (1.9.3).
  subroutine change_8(r, p, index, name, col, ch, status, message)
    type(deck_reader_t), intent(inout) :: r
    type(deck_params_t), intent(inout) :: p
    integer, intent(in) :: index, col
    character(len=*), intent(in) :: name
    type(deck_change_t), intent(inout) :: ch
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    logical :: off
    character(len=:), allocatable :: zpath
    real(dp), allocatable :: zone(:, :)
    integer :: nz

    status = KRC_OK
    message = ' '
    off = len_trim(name) < 4
    select case (index)
    case (3, 4, 5, 21, 22, 23, 24)
      if (off .and. index <= 21) then
        p%files(index) = ' '
      else
        p%files(index) = name
      end if
      ! KVALB = ID(22), KVTAU = ID(23) of the stored common (formats 1.6;
      ! farfield-climate B1: the climate file sets KVTAU = 2, a later 8 23
      ! table 1; both persist over cases)
      if (index == 22) p%id(22) = 1
      if (index == 23) p%id(23) = 1
      if (index == 24) p%id(23) = 2
    case (25)
      if (off) then
        p%ld(14) = .false.
        p%nzone = 0
        if (allocated(p%zone)) deallocate (p%zone)
        p%files(25) = ' '
        return
      end if
      zpath = trim(name)
      if (zpath(1:1) /= '/' .and. len(r%base_dir) > 0) zpath = r%base_dir//'/'//zpath
      call read_zone_table(zpath, zone, nz, status, message)
      if (status == DECK_E_OPEN) then
        call fail(r%path, r%line, col, 'cannot read the zone table '//quoted(trim(name))// &
                  ' ('//zpath//'): '//trim(message), status, message)
        return
      else if (status /= KRC_OK) then
        message = trim(message)//' (zone table named on '//r%path//', line '//itoa(r%line)//')'
        return
      end if
      call move_alloc(zone, p%zone)
      p%nzone = nz
      p%ld(14) = .true.
      p%files(25) = name
    case default
      ch%note = 'line '//itoa(r%line)//': type 8 index '//itoa(index)//' is not a valid '// &
                'file type (KRC: ''invalid file type''); line ignored'
    end select
  end subroutine change_8

  !> Type 11: a fixed-column one-point request (1.11); ends its case.  The
  !> values are checked and kept in ch%vals, not applied.
  subroutine change_11(r, buf, ch, status, message)
    type(deck_reader_t), intent(in) :: r
    character(len=*), intent(in) :: buf
    type(deck_change_t), intent(inout) :: ch
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer, parameter :: C0(9) = [3, 9, 15, 21, 26, 31, 38, 43, 48]
    integer, parameter :: C1(9) = [8, 14, 20, 25, 30, 37, 42, 47, 52]
    integer, parameter :: DD(9) = [1, 1, 2, 1, 2, 1, 2, 1, 0]
    integer :: k
    logical :: ok

    status = KRC_OK
    message = ' '
    do k = 1, 9
      call fixed_real(buf(C0(k):C1(k)), DD(k), ch%vals(k), ok)
      if (.not. ok) then
        call fail(r%path, r%line, C0(k), 'type 11 line: expected a number in the '// &
                  trim(ONE_POINT_NAME(k))//' field (columns '//itoa(C0(k))//'-'//itoa(C1(k))// &
                  '), found '//found(buf(C0(k):C1(k))), status, message)
        return
      end if
    end do
    ch%nvals = 9
    ch%text = trim(buf(53:72))
  end subroutine change_11

  !> Types 12-16 (1.9.2): coefficients, eclipse, planetary flux, type-16 output.
  subroutine change_12_16(r, p, t, lx, slashed0, ch, status, message)
    type(deck_reader_t), intent(inout) :: r
    type(deck_params_t), intent(inout) :: p
    integer, intent(in) :: t
    type(lexer_t), intent(inout) :: lx
    logical, intent(in) :: slashed0
    type(deck_change_t), intent(inout) :: ch
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(item_t) :: it
    real(dp) :: cur(12), x
    integer :: need_n, have, nread, k, nlad, got, base
    logical :: slashed, ok
    character(len=:), allocatable :: stem

    status = KRC_OK
    message = ' '
    slashed = slashed0
    if (t == 16) then
      nlad = p%nlad
      stem = trim(p%tout_stem)
      got = 0
      if (.not. slashed) then
        do k = 0, 1
          call next_item(lx, it)
          if (it%kind == IT_END .or. it%kind == IT_SLASH) then
            slashed = it%kind == IT_SLASH
            exit
          end if
          got = got + 1
          if (it%kind == IT_NULL) cycle
          if (k == 0) then
            ok = .false.
            if (it%kind == IT_VALUE) call int_token(it%text, nlad, ok, .false.)
            if (.not. ok) then
              call fail(r%path, r%line, it%col, 'type 16 line: expected an integer latitude '// &
                        'index NLAD, found '//quoted(it%text), status, message)
              return
            end if
          else
            stem = trim(it%text)
          end if
        end do
      end if
      if (got < 2 .and. .not. slashed) then
        call fail(r%path, r%line, 0, 'type 16 line: expected NLAD and a name stem (or a ''/'')', &
                  status, message)
        return
      end if
      p%nlad = nlad
      p%tout_stem = stem
      ch%index = nlad
      ch%text = stem
      ch%nvals = 1
      ch%vals(1) = real(nlad, dp)
      return
    end if

    select case (t)
    case (12, 13)
      need_n = 8; have = 8
      base = 48
      if (t == 13) base = 56
      cur(1:8) = p%fd(base + 1:base + 8)
    case (14)
      need_n = 10; have = 12
      cur = p%parc
    case default
      need_n = 7; have = 7
      cur(1:7) = p%parw
    end select
    nread = 0
    if (.not. slashed) then
      do k = 1, have
        call next_item(lx, it)
        if (it%kind == IT_END .or. it%kind == IT_SLASH) then
          slashed = it%kind == IT_SLASH
          exit
        end if
        if (it%kind == IT_NULL) then
          nread = nread + 1
          cycle
        end if
        ok = .false.
        if (it%kind == IT_VALUE) call list_real(it%text, x, ok)
        if (.not. ok) then
          if (k > need_n) exit    ! optional 11th/12th eclipse values
          call fail(r%path, r%line, it%col, 'type '//itoa(t)//' line: expected number '// &
                    itoa(k)//' of '//itoa(need_n)//', found '//quoted(it%text), status, message)
          return
        end if
        nread = nread + 1
        cur(k) = x
      end do
    end if
    if (nread < need_n .and. .not. slashed) then
      call fail(r%path, r%line, 0, 'type '//itoa(t)//' line: '//itoa(nread)//' number(s) '// &
                'given, '//itoa(need_n)//' needed (or end the list early with ''/'')', &
                status, message)
      return
    end if
    select case (t)
    case (12, 13)
      p%fd(base + 1:base + 8) = cur(1:8)
      ch%nvals = 8
    case (14)
      p%parc = cur
      ch%nvals = 12
    case default
      p%parw = cur(1:7)
      ch%nvals = 7
    end select
    ch%vals(1:ch%nvals) = cur(1:ch%nvals)
    ch%nread = nread
  end subroutine change_12_16

  ! ------------------------------------------------------------------ checks (1.10)

  !> KRC's silent input resets before a case runs (formats 1.10, 1.6 table);
  !> msgs(1:nmsg) say what was reset.
  subroutine deck_checks(p, msgs, nmsg)
    type(deck_params_t), intent(inout) :: p
    character(len=MSG_LEN), intent(out) :: msgs(10)
    integer, intent(out) :: nmsg
    integer :: n1pib

    nmsg = 0
    msgs = ' '
    n1pib = p%id(1)
    if (p%id(7) <= -1) n1pib = n1pib + 1
    if (p%id(1) < 2 .or. n1pib > MAXN1) call reset_i(1, 'N1', MAXN1/2, 'outside 2..'//itoa(MAXN1))
    if (p%id(2) < 32 .or. p%id(2) > MAXN2) call reset_i(2, 'N2', MAXN2/2, 'outside 32..'// &
                                                        itoa(MAXN2))
    if (p%id(3) < 1 .or. p%id(3) > MAXN3 - 1) call reset_i(3, 'N3', 8, 'outside 1..'// &
                                                          itoa(MAXN3 - 1))
    if (p%id(4) < 1 .or. p%id(4) > MAXN4) call reset_i(4, 'N4', 18, 'outside 1..'//itoa(MAXN4))
    if (p%id(6) < 2 .or. p%id(6) > MAXNH) call reset_i(6, 'N24', 24, 'outside 2..'//itoa(MAXNH))
    if (p%id(8) < 3) call reset_i(8, 'IC2', 999, '< 3 (homogeneous)')
    if (p%id(12) <= 0) call reset_i(12, 'JDISK', 9999, '<= 0 (no output)')
    if (p%id(19) < 1) call reset_i(19, 'NMOD', 1, '< 1')
    if (p%fd(37) /= 0.0_dp) then
      p%fd(37) = 0.0_dp
      call add('DRSET /= 0: reset to 0')
    end if
    if (p%fd(17) < 0.0_dp) then
      p%fd(17) = 0.0_dp
      call add('TAUD < 0: reset to 0')
    end if
  contains
    subroutine reset_i(i, name, new, why)
      integer, intent(in) :: i, new
      character(len=*), intent(in) :: name, why
      call add(name//' = '//itoa(p%id(i))//' '//why//': reset to '//itoa(new))
      p%id(i) = new
    end subroutine reset_i
    subroutine add(text)
      character(len=*), intent(in) :: text
      if (nmsg < size(msgs)) then
        nmsg = nmsg + 1
        msgs(nmsg) = text
      end if
    end subroutine add
  end subroutine deck_checks

  ! ------------------------------------------------------------------ zone table (1.12)

  !> Rows (thickness m, density, conductivity, specific heat) of a zone
  !> table: up to 19 comment lines, a C_END line (C_END within its first 4
  !> columns), rows of 4 numbers until a row whose first value is <= 0 or
  !> the end of file; at least 3 rows.  zone(4, nzone).
  subroutine read_zone_table(path, zone, nzone, status, message)
    character(len=*), intent(in) :: path
    real(dp), allocatable, intent(out) :: zone(:, :)
    integer, intent(out) :: nzone
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    call read_table(path, 4, ZONE_HEAD, MAX_ZONES, 3, .true., 'zone table', zone, nzone, &
                    status, message)
  end subroutine read_zone_table

  !> The rows of a zone table as KRC re-reads them for its listing
  !> (krc-print-extras 5): as read_zone_table, with the terminating row
  !> (thickness <= 0) kept as the last row when there is one.
  subroutine read_zone_listing(path, zone, nzone, status, message)
    character(len=*), intent(in) :: path
    real(dp), allocatable, intent(out) :: zone(:, :)
    integer, intent(out) :: nzone
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    call read_table(path, 4, ZONE_HEAD, MAX_ZONES, 0, .true., 'zone table', zone, nzone, &
                    status, message, keep_stop=.true.)
  end subroutine read_zone_listing

  !> Rows (Ls degrees, value) of a seasonal albedo or opacity table (formats
  !> 1.12, change 8 22 / 8 23): up to 9 comment lines, a C_END line, then up
  !> to 360 rows of 2 numbers until the end of the file.
  subroutine read_season_table(path, table, nrow, status, message)
    character(len=*), intent(in) :: path
    real(dp), allocatable, intent(out) :: table(:, :)
    integer, intent(out) :: nrow
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    call read_table(path, 2, SEASON_HEAD, MAX_SEASON_ROWS, 1, .false., 'seasonal table', &
                    table, nrow, status, message)
  end subroutine read_season_table

  !> A text table: comment lines, a line with C_END in its first 4 columns
  !> (within the first nhead lines), then rows of ncol numbers (free format,
  !> across lines) until the end of the file or, with stop_nonpos, a row whose
  !> first value is <= 0; between minrow and maxrow rows.
  subroutine read_table(path, ncol, nhead, maxrow, minrow, stop_nonpos, what, table, nrow, &
                        status, message, keep_stop)
    character(len=*), intent(in) :: path, what
    logical, intent(in), optional :: keep_stop
    integer, intent(in) :: ncol, nhead, maxrow, minrow
    logical, intent(in) :: stop_nonpos
    real(dp), allocatable, intent(out) :: table(:, :)
    integer, intent(out) :: nrow
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=:), allocatable :: line
    character(len=MSG_LEN) :: emsg
    type(lexer_t) :: lx
    type(item_t) :: it
    real(dp), allocatable :: rows(:, :)
    real(dp) :: row(ncol), x
    integer :: u, ios, nline, nin, row_line, pos
    logical :: started, ok

    status = KRC_OK
    message = ' '
    nrow = 0
    allocate (table(ncol, 0), rows(ncol, maxrow + 1))
    open (newunit=u, file=path, status='old', action='read', form='formatted', &
          access='sequential', iostat=ios, iomsg=emsg)
    if (ios /= 0) then
      status = DECK_E_OPEN
      message = trim(emsg)
      return
    end if
    nline = 0
    started = .false.
    do while (nline < nhead)
      call get_line(u, line, ios)
      if (ios /= 0) exit
      nline = nline + 1
      pos = index(line, 'C_END')
      if (pos >= 1 .and. pos <= 4) then
        started = .true.
        exit
      end if
    end do
    if (.not. started) then
      close (u)
      call fail(path, 1, 0, 'no C_END line within the first '//itoa(nhead)// &
                ' lines of the '//what, status, message)
      return
    end if
    nin = 0
    row_line = 0
    do
      call get_line(u, line, ios)
      if (ios /= 0) exit
      nline = nline + 1
      call lexer_init(lx, line)
      do
        call next_item(lx, it)
        if (it%kind == IT_END .or. it%kind == IT_SLASH) exit
        ok = .false.
        if (it%kind == IT_VALUE) call list_real(it%text, x, ok)
        if (.not. ok) then
          close (u)
          call fail(path, nline, it%col, what//' row '//itoa(nrow + 1)// &
                    ': expected number '//itoa(nin + 1)//' of '//itoa(ncol)//', found '// &
                    quoted(it%text), status, message)
          return
        end if
        if (nin == 0) row_line = nline
        nin = nin + 1
        row(nin) = x
        if (nin == ncol) exit
      end do
      if (nin == ncol) then
        nin = 0
        if (stop_nonpos .and. row(1) <= 0.0_dp) then
          if (present(keep_stop)) then
            if (keep_stop) then
              nrow = nrow + 1
              rows(:, nrow) = row
            end if
          end if
          exit
        end if
        if (nrow >= maxrow) then
          close (u)
          call fail(path, nline, 0, 'more than '//itoa(maxrow)//' rows in the '//what, &
                    status, message)
          return
        end if
        nrow = nrow + 1
        rows(:, nrow) = row
      end if
    end do
    close (u)
    if (nin > 0) then
      call fail(path, row_line, 0, what//' row '//itoa(nrow + 1)//' has only '//itoa(nin)// &
                ' of '//itoa(ncol)//' numbers', status, message)
      return
    end if
    if (nrow < minrow) then
      call fail(path, nline, 0, 'the '//what//' has '//itoa(nrow)//' row(s); at least '// &
                itoa(minrow)//' are required', status, message)
      return
    end if
    deallocate (table)
    allocate (table(ncol, nrow))
    table = rows(:, 1:nrow)
  end subroutine read_table

end module krc_deck

!> KRC's one-point mode as the deck driver meets it (../shared/spec/krc-onepoint.md
!> sections 1, 2, 4, 7): the one-point file named by a type-10 change line
!> (title, column guide, then change lines and type-11 requests read by the
!> deck reader), the request values applied to the parameters of the case,
!> the checks that refuse a one-point run before anything is written, and
!> the computation of one request (a case with the step-by-step surface
!> temperatures of its last sol, then the interpolation to the hour).
!>
!> Library code: no state; the reader is the caller's.
module krc_onefile
  use krc_constants, only: dp, NFD, NID, NLD, NPORB, MSG_LEN, KRC_OK
  use krc_deck, only: deck_params_t, deck_reader_t, deck_change_t, deck_open, deck_close, &
                      deck_next, DK_CHANGE, DK_CHANGE_ENDS, CH_BLANK, itoa
  use krc_season, only: case_run, NSEASON_VALS
  use krc_onepoint, only: request_date, hour_temperatures
  use krc_orbit, only: orbit_geometry
  implicit none
  private

  public :: one_open, one_next, one_apply, one_check, one_title_line
  public :: ONE_CHANGE, ONE_REQUEST, ONE_SWITCH, ONE_END

  !> What one_next met: a change line (applied), a type-11 request, a type-10
  !> switch to another one-point file, the end of the requests.
  integer, parameter :: ONE_CHANGE = 1, ONE_REQUEST = 2, ONE_SWITCH = 3, ONE_END = 4

contains

  !> Open the one-point file path (shown: its name in messages and on the
  !> print file) named at line `line` of the deck `deck`; read its title
  !> (line 1, 80 columns) and skip its column guide (line 2).  status 2: the
  !> file cannot be opened or lacks these lines.
  subroutine one_open(r, path, shown, deck, line, title, status, message)
    type(deck_reader_t), intent(out) :: r
    character(len=*), intent(in) :: path, shown, deck
    integer, intent(in) :: line
    character(len=80), intent(out) :: title
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    character(len=80) :: guide
    integer :: st, ios
    character(len=MSG_LEN) :: msg

    status = 0
    message = ' '
    title = ' '
    call deck_open(r, path, '', st, msg, label=shown)
    if (st /= KRC_OK) then
      status = 2
      message = deck//', line '//itoa(line)//': cannot open the one-point file '''//shown// &
                ''' named by the type-10 line (KRC would ask for another name): '// &
                trim(msg(index(msg, ': ') + 2:))
      return
    end if
    read (r%unit, '(a)', iostat=ios) title
    if (ios == 0) read (r%unit, '(a)', iostat=ios) guide
    if (ios /= 0) then
      call deck_close(r)
      status = 2
      message = shown//': a one-point file starts with a title line and a column-guide line '// &
                '(krc-onepoint 1 item 4); the file ends before them'
      return
    end if
    r%line = 2
    ! a 0 line, even the first, ends the requests
    r%first_list = .false.
    r%nlist = 0
  end subroutine one_open

  !> The title of a one-point file as printed: a blank, then its 80 columns.
  pure function one_title_line(title) result(s)
    character(len=80), intent(in) :: title
    character(len=81) :: s
    s = ' '//title
  end function one_title_line

  !> The next line of a one-point file (from line 3 on), read and applied
  !> by the deck reader.  kind: ONE_*.  status 2: a line KRC turns into a
  !> trap (blank, not a change line, a fused type, an unreadable field), or
  !> a type-10 line just after a request; message names file and line.
  subroutine one_next(r, p, ch, kind, status, message)
    type(deck_reader_t), intent(inout) :: r
    type(deck_params_t), intent(inout) :: p
    type(deck_change_t), intent(out) :: ch
    integer, intent(out) :: kind, status
    character(len=MSG_LEN), intent(out) :: message
    integer :: k, nlist

    kind = ONE_END
    nlist = r%nlist
    call deck_next(r, p, ch, k, status, message)
    if (status /= KRC_OK) then
      status = 2
      if (ch%raw(1:2) == '11' .and. ch%raw(3:3) /= ' ') message = trim(message)//': a '// &
        'request fused with its Ls field (KRC error 437); leave column 3 blank'
      return
    end if
    status = 0
    if (k == DK_CHANGE) then
      kind = ONE_CHANGE
    else if (k == DK_CHANGE_ENDS) then
      if (.not. ch%applied) then
        status = 2
        if (ch%t == CH_BLANK) then
          message = r%path//', line '//itoa(r%line)//': blank line in a one-point file (KRC '// &
                    'runs and prints the previous request again): remove it'
        else
          message = r%path//', line '//itoa(r%line)//': '//trim(ch%note)
        end if
      else if (ch%t == 11) then
        kind = ONE_REQUEST
      else if (ch%t == 10) then
        kind = ONE_SWITCH
        if (nlist == 0) then
          status = 2
          message = r%path//', line '//itoa(r%line)//': a type-10 line just after a request '// &
                    'ends KRC''s run (END OF DATA); put another change line before it to '// &
                    'switch to '''//trim(ch%text)//''''
        end if
      else
        status = 2
        message = r%path//', line '//itoa(r%line)//': change type '//itoa(ch%t)// &
                  ' ends the change list: not allowed in a one-point file'
      end if
    end if
  end subroutine one_next

  !> Put the values of a request (ch%vals of a type-11 line, krc-onepoint
  !> 2.2) into the parameters of its case (section 4): ALAT(1), ELEV(1),
  !> HOURO in FD(84), ALB, SKRC, TAUD (< 0: 0, taud_in keeps the value read),
  !> SLOPE, SLOAZI, DJUL from the Ls (section 3), SOLARDEC and DAU of that
  !> date, and L_ONE set.
  subroutine one_apply(p, vals, taud_in)
    type(deck_params_t), intent(inout) :: p
    real(dp), intent(in) :: vals(:)
    real(dp), intent(out) :: taud_in
    real(dp) :: sdec, dau, subs
    p%alat(1) = vals(2)
    p%fd(84) = vals(3)
    p%elev(1) = vals(4)
    p%fd(1) = vals(5)
    p%fd(3) = vals(6)
    taud_in = vals(7)
    p%fd(17) = max(0.0_dp, vals(7))
    p%fd(23) = vals(8)
    p%fd(24) = vals(9)
    p%fd(41) = request_date(p%porb, vals(1), p%id(5), p%fd(42))
    call orbit_geometry(p%porb, p%fd(41) + real(p%id(5) - 1, dp)*p%fd(42), sdec, dau, subs)
    p%fd(43) = sdec
    p%fd(44) = dau
    p%ld(20) = .true.
  end subroutine one_apply

  !> The checks of one request before anything runs (krc-onepoint summary):
  !> a one-point case has one latitude, an orbit, no LKEY, no mid-run
  !> change lists, an hour in 0..24, no climate file; an airless request
  !> after one with an atmosphere (the stale TPFH of section 4.3) is not
  !> implemented.  status 2 (deck) or 3 (not implemented); where: "file,
  !> line L" of the request.
  subroutine one_check(p, where, atm_seen, status, message)
    type(deck_params_t), intent(in) :: p
    character(len=*), intent(in) :: where
    logical, intent(inout) :: atm_seen
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    status = 2
    message = ' '
    if (p%id(4) > 1) then
      message = where//': one-point mode needs N4 = 1 (KRC computes all N4 latitudes and '// &
                'prints the last one, whatever the request); N4 is '//itoa(p%id(4))
    else if (.not. p%ld(11)) then
      message = where//': one-point mode finds the date of a request from its Ls through '// &
                'the orbit: LPORB must be T with a PORB block'
    else if (p%ld(12)) then
      message = where//': LKEY = T cannot be combined with one-point mode (KRC takes the '// &
                'date of the request as an Ls, krc-onepoint 8.1): set LKEY F'
    else if (p%ld(13)) then
      message = where//': LSC = T (a change list every season) cannot be combined with '// &
                'one-point mode: the lines after the request are more requests; set LSC F'
    else if (p%id(13) >= 1 .and. p%id(13) <= p%id(5)) then
      message = where//': IDOWN = '//itoa(p%id(13))//' (a change list at that season) '// &
                'cannot be combined with one-point mode: set IDOWN to 0 or above N5 = '// &
                itoa(p%id(5))
    else if (.not. (p%fd(84) >= 0.0_dp .and. p%fd(84) <= 24.0_dp)) then
      message = where//', column 15: the hour of a request must lie in 0..24 (KRC reads '// &
                'outside its arrays otherwise)'
    else if (len_trim(p%files(24)) > 0) then
      status = 3
      message = where//': a climate opacity file (8 24) in one-point mode is not '// &
                'implemented. Nothing was computed or written.'
    else if (p%fd(12) <= 1.0_dp .and. atm_seen) then
      status = 3
      message = where//': an airless request (PTOTAL <= 1 Pa) after a request with an '// &
                'atmosphere (KRC prints the stale planetary temperatures of that one, '// &
                'krc-onepoint 4.3) is not implemented. Nothing was computed or written.'
    else
      status = 0
    end if
    if (p%fd(12) > 1.0_dp) atm_seen = .true.
  end subroutine one_check


end module krc_onefile

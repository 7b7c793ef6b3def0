!> The case driver of a KRC run (../shared/spec/krc-formats.md sections 1-3):
!> the one implementation of reading a deck's case sequence, the checks that
!> refuse a run before any output, the carry-over between cases, and the
!> order in which the print file and the type-52 files are written.  Both
!> front doors call it: the legacy `krc` program (krc_main.f90) in mode
!> DRV_RUN, the Python console script through _krcio (krc_io_bind.f90) in
!> modes DRV_PLAN and DRV_WRITE.
!>
!> One walk over the deck, three modes that differ only at the point where a
!> case is computed:
!> * DRV_RUN: the core runs there (krc_season::case_run) and the outputs are
!>   written as the walk goes;
!> * DRV_PLAN: nothing is written; the inputs the core would get (after
!>   KRC's input resets and every carry-over: N3 lowered, the orbit geometry
!>   and orbit period after an LPORB case, NRUN, NCASE, the tables in
!>   effect) are recorded per case, with the outcome of each case taken from
!>   d%assume_ok (the only carry-over that depends on an outcome is the
!>   geometry, kept from a case that succeeded);
!> * DRV_WRITE: the results computed elsewhere (d%results, one per case, from
!>   the inputs DRV_PLAN gave) stand in for the core; the print file and the
!>   type-52 files are written exactly as in DRV_RUN.
!>
!> Outputs are written through temporary names renamed into place when
!> complete: a file with the final name is always whole.  A refusal (deck
!> error, exit 2; an option not implemented that stops the run, exit 3)
!> happens before anything is computed or written.
!>
!> Library code: no STOP, no SAVE, no module variables; the whole state of a
!> run is the drive_t the caller owns.
module krc_driver
  use, intrinsic :: iso_fortran_env, only: error_unit
  use, intrinsic :: iso_c_binding, only: c_int, c_char, c_null_char
  use krc_constants, only: dp, NFD, NID, NLD, MAXN4, NPORB, MSG_LEN, KRC_OK
  use krc_deck, only: deck_params_t, deck_reader_t, deck_change_t, deck_open, deck_close, &
                      deck_header, deck_next, deck_checks, deck_folder, DK_CHANGE, &
                      DK_CHANGE_ENDS, DK_CASE, DK_RUN_END, DK_EOF, TEXT_LEN, TITLE_LEN, itoa, &
                      read_season_table, read_zone_listing
  use krc_season, only: case_run, lowered_n3, check_table, NSEASON_VALS, season_carry_t, &
                        print_log_size, case_eclipse_plan, ECLP_OK, ECLP_ECLIPSE
  use krc_eclipse, only: ecl_case_t, ECL_RARE
  use krc_constants, only: KRC_E_UNSUPPORTED
  use krc_orbit, only: orbit_geometry
  use krc_t52, only: t52_sizes, t52_prefix
  use krc_prt, only: prt_debug, prt_banner, prt_change, prt_case_head, prt_layers, prt_t52_open, &
                     prt_separator, prt_fatal, prt_case_end, prt_t52_close, prt_run_end, &
                     prt_new_t52, KRC_VERSION, KOMMON, prt_seasons, prt_lp5
  use krc_bin5, only: bin5_write_f8
  use krc_constants, only: sp
  use krc_climate, only: CLIM_NLS, CLIM_NLAT, CLIM_NK
  use krc_climate_file, only: climate_read
  use krc_onepoint, only: one_case
  use krc_onefile, only: one_open, one_next, one_apply, one_check, ONE_CHANGE, &
                         ONE_REQUEST, ONE_SWITCH
  use krc_prt, only: prt_one_start, prt_one_header, prt_one_result
  use krc_farfield, only: ff_file_t, ff_header, ff_load, ff_case_write, ff_season_weights, &
                          ff_prt_new, ff_prt_open, ff_prt_read, ff_closed_text, FF_N2_CAP, &
                          FF_LAYOUT_COMPACT
  use krc_season, only: ff_case_check
  use krc_prt, only: prt_fine_setup, prt_fine_snapshot, prt_fine_end, prt_file_wrote, file_wrote_text, &
                     prt_tfine_sizes, prt_tfine_none
  implicit none
  private

  public :: drive_t, case_plan_t, case_result_t, drive_deck
  public :: DRV_RUN, DRV_PLAN, DRV_WRITE
  public :: SK_ECLIPSE, SK_PLANFLUX, SK_FARFIELD, SK_CLIMATE, SK_MIDCASE, SK_TABLE
  public :: NT_TYPE16, NT_DIRECT, NT_LPTAVE, NT_FORT77
  public :: MSG_WARN, MSG_CASE, MSG_OUTPUT

  integer, parameter :: DRV_RUN = 1, DRV_PLAN = 2, DRV_WRITE = 3

  !> Why a case is not computed (bits of case_plan_t%skip).
  integer, parameter :: SK_ECLIPSE = 1, SK_PLANFLUX = 2, SK_FARFIELD = 4, SK_CLIMATE = 8, &
                        SK_MIDCASE = 16, SK_TABLE = 32
  !> Outputs of a case that are not written (bits of case_plan_t%notes).
  integer, parameter :: NT_TYPE16 = 1, NT_DIRECT = 2, NT_LPTAVE = 4, NT_FORT77 = 8
  !> Kinds of messages: a warning, the error of one case (skipped or failed),
  !> an output that could not be written.
  integer, parameter :: MSG_WARN = 1, MSG_CASE = 2, MSG_OUTPUT = 3

  !> What the core is given for one case, as the walk resolved it.
  type :: case_plan_t
    real(dp) :: fd(NFD) = 0.0_dp
    integer :: id(NID) = 0
    logical :: ld(NLD) = .false.
    integer :: n4 = 0, n24 = 0, nsout = 0
    real(dp) :: alat(MAXN4) = 0.0_dp, elev(MAXN4) = 0.0_dp, porb(NPORB) = 0.0_dp
    character(len=TITLE_LEN) :: title = ' '
    integer :: nzone = 0
    real(dp), allocatable :: zone(:, :), alb(:, :), tau(:, :)
    !> dust and ice opacities of the climate file (8 24) in effect (not allocated: none)
    real(sp), allocatable :: climate(:, :, :)
    integer :: skip = 0, notes = 0
    integer :: label = 0        !< the case number KRC shows (NCASE)
    integer :: t52 = 0          !< type-52 file the case is stored in (0: none)
    integer :: line = 0         !< deck line of the case's first change line (or its 0/)
    integer :: onepoint = 0     !< 1: a one-point request (krc-onepoint 4; hour FD(84))
    !> seasons of this piece of its case (mid-case change lists, krc-onepoint
    !> 8.2: a case is planned in pieces, one per parameter set); cont = 1: the
    !> piece continues the case of the plan before it (carried state)
    integer :: season1 = 1, season2 = 0, cont = 0
    !> far-field files (farfield-climate A): read by the case (8 3, 8 4) and
    !> written after it (8 21, K4OUT < 0); ' ': none.  Names relative to the
    !> current directory (as the type-52 file).
    character(len=TEXT_LEN) :: ff_surf = ' ', ff_atm = ' ', ff_out = ' '
    !> Eclipse and planetary load (krc-eclipse 1; PARC(11) as held at case
    !> start), the type-16 latitude (0: none) and the shapes (rows 2 + E,
    !> capacity M, latitudes with an eclipse) of the rare-eclipse records
    !> (0: none), krc-eclipse 6.3
    real(dp) :: parc(12) = 0.0_dp, parw(7) = 0.0_dp
    integer :: nlad = 0, fine_shape(3) = 0
  end type case_plan_t

  !> What the core returned for one case (DRV_WRITE input).
  type :: case_result_t
    real(dp), allocatable :: hourly(:, :, :, :), svals(:, :)
    real(dp) :: fd_out(NFD) = 0.0_dp
    integer :: id_out(NID) = 0
    integer :: status = 0
    character(len=MSG_LEN) :: message = ' '
    real(dp) :: seconds = 0.0_dp
    real(dp) :: point(2) = 0.0_dp   !< a one-point request: T_s, T_p at its hour
    !> the print log of the season-loop tables (krc_prtlog; not allocated: none)
    real(dp), allocatable :: plog(:)
    !> The type-16 series (N2; not allocated: none) and the rare-eclipse
    !> records of case_run (fine, fine_win(3, .), nfine, fine_end(4, N4);
    !> not allocated: none), krc-eclipse 6.1, 6.3
    real(dp), allocatable :: tout(:), fine(:, :, :), fine_end(:, :)
    integer, allocatable :: fine_win(:, :)
    integer :: nfine = 0
  end type case_result_t

  !> The type-52 file being filled (formats 3.2).
  type :: t52_t
    logical :: open = .false.
    character(len=TEXT_LEN) :: name = ' '
    integer :: n24 = 0, n4 = 0, nsout = 0, mm3 = 0, ndx = 0, kase = 0, mase = 0, ncase = 0
    real(dp), allocatable :: buf(:)
  end type t52_t

  !> The state of one run (owned by the caller).
  type :: drive_t
    integer :: mode = DRV_RUN
    character(len=:), allocatable :: inp, prt, base, prt_tmp
    character(len=20) :: runtime = ' '
    character(len=64) :: date_block = ' '   !< bin5 date block of the type-52 files (' ': now)
    integer :: date_len = 0                 !< its length (trailing blanks count)
    real(dp) :: t_run0 = 0.0_dp
    real(dp) :: total_seconds = 0.0_dp     !< DRV_WRITE: CPU time of the run
    !> DRV_PLAN: false = a plan only (no outputs will be written: their
    !> folders and names are not checked)
    logical :: check_outputs = .true.
    !> DRV_PLAN input: outcome of each case (default: all succeed)
    logical, allocatable :: assume_ok(:)
    !> DRV_PLAN output
    type(case_plan_t), allocatable :: plans(:)
    !> DRV_WRITE input
    type(case_result_t), allocatable :: results(:)
    !> messages (DRV_RUN also prints them on stderr as they come)
    integer :: nmsg = 0
    character(len=MSG_LEN), allocatable :: msgs(:)
    integer, allocatable :: msg_kind(:), msg_case(:)
    integer :: exit_code = 0
    integer :: ncase_total = 0       !< cases met by the walk
    integer :: nplan = 0             !< DRV_PLAN: plans recorded (a case with mid-case lists: one per piece)
    integer :: nt52 = 0              !< type-52 files opened
    ! --- the walk
    type(deck_reader_t) :: r
    type(deck_params_t) :: p
    type(deck_change_t) :: ch
    type(t52_t) :: f52
    integer :: u = 0
    logical :: prt_open = .false., failed_output = .false.
    !> fort.76 (LD16, krc-print-extras 8): unit, open (written as fort.76.tmp)
    integer :: u76 = -1
    logical :: f76_open = .false.
    !> ncase: KRC's NCASE (cases started, counted from the case that opened the
    !> type-52 file; also the count on the 'New case' banner); icase: cases of the deck
    integer :: ncase = 0, nrun = 0, page = 0, nchanges = 0, icase = 0
    integer :: list_line = 0
    logical :: first_case = .true.
    real(dp) :: yriday = 0.0_dp      !< FD(68): the orbit period of the last LPORB case
    ! --- one-point mode (krc-onepoint.md)
    logical :: onepoint = .false.    !< the case being run is a one-point request
    real(dp) :: point(2) = 0.0_dp    !< its T_s, T_p at the hour (after the case)
    logical :: point_ok = .false.    !< they were computed
    character(len=:), allocatable :: one_name  !< the one-point file ('Input file:')
    real(dp) :: point_seconds = 0.0_dp  !< time of the requests (not in the total)
    ! --- far-field files (farfield-climate A)
    integer :: ff_layout = FF_LAYOUT_COMPACT  !< layout of the files written (1: KRC's)
    !> the open 8 3 / 8 4 files (' ': none), V = 1 on the 8 3 line (A3.2 item 6)
    character(len=TEXT_LEN) :: ffs_name = ' ', ffa_name = ' '
    logical :: ffs_report = .false.
    !> their headers (DRV_RUN: with the data; DRV_PLAN: not read)
    type(ff_file_t), allocatable :: ffs, ffa
    !> T_a^4 of the last step that integrated an atmosphere (A3.4 bug 2)
    real(dp) :: stale_ta4 = 0.0_dp
    ! --- eclipses (krc-eclipse 6.1): the leftover season and latitude
    ! counters the -778 line shows (the previous case's N5 and N4 + 1)
    integer :: ecl_season = 0, ecl_lat = 0
  end type drive_t

  !> Preflight state of the far-field files: the open names and the files
  !> earlier cases of the deck write (their headers as a reader will see them).
  type :: ff_pre_t
    character(len=TEXT_LEN) :: s_open = ' ', a_open = ' '
    character(len=TEXT_LEN), allocatable :: wname(:)
    type(ff_file_t), allocatable :: wf(:)
  end type ff_pre_t

  interface
    integer(c_int) function c_rename(old, new) bind(C, name='rename')
      import :: c_int, c_char
      character(kind=c_char), intent(in) :: old(*), new(*)
    end function c_rename
  end interface

contains

  !> Run the walk of d%mode over the deck d%inp (print file d%prt).  status
  !> /= 0: the run was refused before anything was computed or written
  !> (2: deck, file or usage error; 3: an option not implemented), message
  !> says why.  Otherwise d%exit_code is the run's exit status (0 ok, 1 a case
  !> failed or an output could not be written, 3 a case was not computed).
  subroutine drive_deck(d, status, message)
    type(drive_t), intent(inout) :: d
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: kind, st, ios
    character(len=MSG_LEN) :: msg, emsg

    status = 0
    message = ' '
    d%exit_code = 0
    d%nmsg = 0
    if (allocated(d%plans)) deallocate (d%plans)
    allocate (d%plans(0))
    d%base = deck_folder(d%inp)
    call cpu_time(d%t_run0)

    ! DRV_WRITE follows a DRV_PLAN of the same deck, which made these checks
    ! before anything was computed (as DRV_RUN does here).
    if (d%mode /= DRV_WRITE) call preflight(d, status, message)
    if (status /= 0) return

    if (d%mode /= DRV_PLAN) then
      d%prt_tmp = d%prt//'.tmp'
      open (newunit=d%u, file=d%prt_tmp, status='replace', action='write', form='formatted', &
            iostat=ios, iomsg=emsg)
      if (ios /= 0) then
        status = 2
        message = 'cannot open the print file '//d%prt//': '//trim(emsg)
        return
      end if
      d%prt_open = .true.
    end if
    call deck_open(d%r, d%inp, d%base, st, msg)
    if (st == KRC_OK) call deck_header(d%r, d%p, st, msg)
    if (st /= KRC_OK) then
      call abandon(d)
      status = 2
      message = msg
      return
    end if
    if (d%p%kdb /= 0 .and. d%prt_open) call prt_debug(d%u, d%p%idb)

    d%ncase = 0
    d%nrun = 0
    d%page = 0
    d%icase = 0
    d%nplan = 0
    d%nt52 = 0
    d%first_case = .true.
    d%yriday = 0.0_dp
    call ff_reset(d)
    run: do
      if (d%prt_open) call prt_banner(d%u, d%ncase)
      d%nchanges = 0
      d%list_line = 0
      list: do
        call deck_next(d%r, d%p, d%ch, kind, st, msg)
        if (st /= KRC_OK) then       ! cannot happen after the preflight read the same deck
          call abandon(d)
          status = 2
          message = msg
          return
        end if
        if (d%list_line == 0) d%list_line = d%r%line
        select case (kind)
        case (DK_CHANGE, DK_CHANGE_ENDS)
          d%nchanges = d%nchanges + 1
          if (d%prt_open) call prt_change(d%u, d%ch%t, d%ch%index, d%ch%value, d%ch%text, &
                                          d%ch%raw, d%ch%applied, d%ch%vals, d%ch%nvals)
          if (len_trim(d%ch%note) > 0) call say(d, MSG_WARN, d%inp//': '//trim(d%ch%note))
          if (d%ch%t == 8 .and. (d%ch%index == 3 .or. d%ch%index == 4)) call ff_change(d)
          ! formats 1.9.3: '8 5' (and type 9) write any open type-52 file now;
          ! the name of the new one is printed after its closing lines (m1.prt)
          if ((d%ch%t == 8 .and. d%ch%index == 5) .or. d%ch%t == 9) call close_t52(d, .false.)
          if (d%ch%t == 8 .and. d%ch%index == 5 .and. d%ch%applied .and. d%prt_open) &
            call prt_new_t52(d%u, d%ch%text)
          if (kind == DK_CHANGE_ENDS .and. d%ch%t == 10 .and. d%ch%applied) then
            ! krc-onepoint 1: the deck ends here, the requests of the file follow
            call one_point_mode(d, status, message)
            if (status /= 0) then      ! cannot happen after the preflight read the same files
              call abandon(d)
              return
            end if
            exit run
          end if
          if (kind == DK_CHANGE_ENDS) then
            call run_case(d)
            exit list
          end if
        case (DK_CASE)
          call run_case(d)
          exit list
        case default
          if (kind == DK_EOF .and. d%nchanges > 0) call say(d, MSG_WARN, d%inp// &
            ': end of file after '//itoa(d%nchanges)//' change line(s) without a '// &
            'terminating 0/: that case is not run')
          exit run
        end select
      end do list
    end do run
    call deck_close(d%r)
    d%ncase_total = d%icase

    call close_t52(d, .true.)
    if (d%f76_open) then
      close (d%u76, iostat=ios)
      d%f76_open = .false.
      d%u76 = -1
      if (ios /= 0 .or. c_rename('fort.76.tmp'//c_null_char, 'fort.76'//c_null_char) /= 0) then
        call say(d, MSG_OUTPUT, 'cannot write fort.76')
        call delete_file('fort.76.tmp')
        d%exit_code = 1
      end if
    end if
    if (d%prt_open) then
      close (d%u, iostat=ios)
      d%prt_open = .false.
      if (ios /= 0 .or. d%failed_output) then
        call say(d, MSG_OUTPUT, 'cannot write the print file '//d%prt)
        call delete_file(d%prt_tmp)
        d%exit_code = 1
      else if (c_rename(d%prt_tmp//c_null_char, d%prt//c_null_char) /= 0) then
        call say(d, MSG_OUTPUT, 'cannot rename the print file '//d%prt_tmp//' to '//d%prt)
        call delete_file(d%prt_tmp)
        d%exit_code = 1
      end if
    end if
  end subroutine drive_deck

  !> Close and remove the temporary print file (nothing is left behind).
  subroutine abandon(d)
    type(drive_t), intent(inout) :: d
    integer :: ios
    if (d%prt_open) close (d%u, status='delete', iostat=ios)
    d%prt_open = .false.
    if (d%f76_open) close (d%u76, status='delete', iostat=ios)
    d%f76_open = .false.
    call deck_close(d%r)
  end subroutine abandon

  subroutine delete_file(name)
    character(len=*), intent(in) :: name
    integer :: u, ios
    open (newunit=u, file=name, status='old', iostat=ios)
    if (ios == 0) close (u, status='delete', iostat=ios)
  end subroutine delete_file

  !> A message: kept in d%msgs, and printed on stderr at once in DRV_RUN.
  subroutine say(d, kind, text)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: kind
    character(len=*), intent(in) :: text
    character(len=MSG_LEN), allocatable :: m(:)
    integer, allocatable :: k(:), c(:)
    integer :: n

    if (d%mode == DRV_RUN) then
      if (kind == MSG_WARN) then
        write (error_unit, '(a)') 'krc: warning: '//trim(text)
      else
        write (error_unit, '(a)') 'krc: error: '//trim(text)
      end if
    end if
    if (.not. allocated(d%msgs)) allocate (d%msgs(0), d%msg_kind(0), d%msg_case(0))
    n = size(d%msgs)
    if (d%nmsg >= n) then
      allocate (m(max(16, 2*n)), k(max(16, 2*n)), c(max(16, 2*n)))
      m(1:n) = d%msgs
      k(1:n) = d%msg_kind
      c(1:n) = d%msg_case
      call move_alloc(m, d%msgs)
      call move_alloc(k, d%msg_kind)
      call move_alloc(c, d%msg_case)
    end if
    d%nmsg = d%nmsg + 1
    d%msgs(d%nmsg) = text
    d%msg_kind(d%nmsg) = kind
    d%msg_case(d%nmsg) = d%icase
  end subroutine say

  !> Read the whole deck once: deck errors and cases this model cannot
  !> run refuse the run before any output exists.
  subroutine preflight(d, status, message)
    type(drive_t), intent(inout) :: d
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(deck_reader_t) :: rr
    type(deck_params_t) :: pp, pc
    type(deck_change_t) :: cc
    integer :: k, kt, st, icase, list_line, nsout, sizes(3), nmsg, ntab, first, name_line
    integer :: name_col, case_line, unit, ios
    real(dp), allocatable :: tab(:, :)
    real(sp) :: clim(CLIM_NLS, CLIM_NLAT, CLIM_NK)
    real(dp), allocatable :: probe(:, :, :, :)
    character(len=MSG_LEN) :: msg, msgs(10)
    character(len=TEXT_LEN) :: fname
    logical :: new_file, isdir
    type(ff_pre_t) :: fp

    status = 0
    message = ' '
    call deck_open(rr, d%inp, d%base, st, msg)
    if (st == KRC_OK) call deck_header(rr, pp, st, msg)
    if (st /= KRC_OK) then
      call deck_close(rr)
      status = 2
      message = msg
      return
    end if
    icase = 0
    list_line = 0
    new_file = .true.
    fname = ' '
    sizes = 0
    first = 0
    name_line = 0
    name_col = 1
    do
      call deck_next(rr, pp, cc, k, st, msg)
      if (st /= KRC_OK) then
        status = 2
        message = msg
        exit
      end if
      if (k == DK_RUN_END) exit
      if (k == DK_EOF) then
        if (icase == 0) then
          ! issue 19: a deck that ends before its first case (no 0/) is an error
          status = 2
          message = d%inp//', line '//itoa(rr%line + 1)//': unexpected end of file: '// &
                    'expected a change line or the 0/ that ends the first case'
        end if
        exit
      end if
      if (list_line == 0) list_line = rr%line
      ! farfield-climate A1: an 8 3 / 8 4 line closes the open file
      if (cc%t == 8 .and. cc%index == 3) fp%s_open = ' '
      if (cc%t == 8 .and. cc%index == 4) fp%a_open = ' '
      if ((cc%t == 8 .and. cc%index == 5) .or. cc%t == 9) then
        new_file = .true.
        if (cc%t == 8) then
          name_line = rr%line
          name_col = max(1, index(cc%raw, trim(cc%text)))
        end if
      end if
      if (d%check_outputs .and. cc%t == 8 .and. len_trim(cc%text) > 0 .and. &
          any(cc%index == [3, 4, 5, 21])) then
        ! an output name that is an existing folder is refused, even a short one
        ! (which KRC takes as 'off': nothing would be written, nothing said)
        inquire (file=trim(cc%text)//'/.', exist=isdir)
        if (isdir) then
          status = 2
          message = d%inp//', line '//itoa(rr%line)//', column '// &
                    itoa(max(1, index(cc%raw, trim(cc%text))))//': cannot write '// &
                    quote(trim(cc%text))//': it is a folder'
          exit
        end if
      end if
      if (k == DK_CHANGE) cycle
      icase = icase + 1
      case_line = list_line
      if (cc%t == 10 .and. cc%applied) then
        ! krc-onepoint 1: a type-10 line first in a list after a case ends KRC's run
        if (icase > 1 .and. list_line == rr%line) then
          status = 2
          message = d%inp//', line '//itoa(rr%line)//': a type-10 line first in a change list '// &
                    'after a case ends KRC''s run (END OF DATA, krc-onepoint 1 item 3): put '// &
                    'another change line before it'
          exit
        end if
        call one_preflight(d, pp, rr%line, cc%text, status, message)
        exit
      end if
      if (cc%t == 11) then
        status = 3
        message = d%inp//', line '//itoa(rr%line)//': a type-11 request in the deck itself '// &
                  '(formats 1.11) is not implemented: requests go in a one-point file named by '// &
                  'a type-10 line. Nothing was computed or written.'
        exit
      end if
      ! Formats 3.2: all cases of one type-52 file share N24, N4 and NSOUT
      ! (after KRC's input resets, formats 1.10, as the case will run).
      pc = pp
      call deck_checks(pc, msgs, nmsg)
      nsout = max(0, pc%id(5) - pc%id(12) + 1)
      call ff_preflight(d, pp, pc, icase, case_line, nsout, fp, status, message)
      if (status /= 0) exit
      ! The outputs of the case must fit in memory (a huge N5, say N4 and N5
      ! run together in the deck): refused here, not a failed allocation later.
      allocate (probe(pc%id(6), 7, pc%id(4), nsout), stat=ios)
      if (ios /= 0) then
        status = 2
        message = d%inp//', case '//itoa(icase)//': N5 = '//itoa(pc%id(5))//' (JDISK = '// &
                  itoa(pc%id(12))//'): not enough memory for the outputs of '//itoa(nsout)// &
                  ' seasons (N24 x 7 x N4 words each); lower N5 or raise JDISK'
        exit
      end if
      deallocate (probe)
      if (len_trim(pc%files(5)) >= 4 .and. nsout >= 1) then
        if (new_file .or. pc%files(5) /= fname) then
          fname = pc%files(5)
          sizes = [pc%id(6), pc%id(4), nsout]
          first = icase
          new_file = .false.
          if (d%check_outputs .and. .not. folder_exists(fname)) then
            status = 2
            message = d%inp//', line '//itoa(name_line)//', column '//itoa(name_col)// &
                      ': cannot write the type-52 file '//quote(trim(fname))//': the folder '// &
                      'of the type-52 file does not exist (KRC names it relative to the '// &
                      'current directory)'
            exit
          end if
        else if (any(sizes /= [pc%id(6), pc%id(4), nsout])) then
          status = 2
          message = d%inp//', line '//itoa(case_line)//', column 1: case '//itoa(icase)// &
                    ' has N24 = '//itoa(pc%id(6))//', N4 = '//itoa(pc%id(4))//', NSOUT = '// &
                    'N5-JDISK+1 = '//itoa(nsout)//', but case '//itoa(first)// &
                    ' stored in the same type-52 file '//quote(trim(fname))//' has N24 = '// &
                    itoa(sizes(1))//', N4 = '//itoa(sizes(2))//', NSOUT = '//itoa(sizes(3))// &
                    ': all cases of one type-52 file must share them (N24, N4 or N5-JDISK+1 '// &
                    'differ); start a new type-52 file with an ''8 5'' line'
          exit
        end if
      end if
      ! Seasonal tables (8 22, 8 23) must be readable and valid before
      ! anything runs (formats 1.9.3: a table that cannot be read ends the run).
      do kt = 22, 23
        if (len_trim(pp%files(kt)) > 0) then
          call read_season_table(beside_deck(d, pp%files(kt)), tab, ntab, st, msg)
          if (st == KRC_OK) then
            if (kt == 22) call check_table(tab, 'albedo', 0.0_dp, 1.0_dp, st, msg)
            if (kt == 23) call check_table(tab, 'opacity', 0.0_dp, huge(1.0_dp), st, msg)
          end if
          if (st /= KRC_OK) then
            status = 2
            message = d%inp//', case '//itoa(icase)//': '//trim(msg)
            exit
          end if
        end if
      end do
      if (status /= 0) exit
      ! The climate opacity file (8 24) must be readable before anything runs
      ! (KRC: 'CLIMTAU had failure', error 434); with a seasonal opacity table
      ! (8 23) both would replace TAUD every season: refused, as run() does.
      if (len_trim(pp%files(24)) > 0) then
        if (len_trim(pp%files(23)) > 0) then
          status = 2
          message = d%inp//', case '//itoa(icase)//': the climate opacity file (8 24) and '// &
                    'the seasonal opacity table (8 23) both replace TAUD every season (KRC '// &
                    'keeps the later line): give only one'
          exit
        end if
        call climate_read(beside_deck(d, pp%files(24)), clim, st, msg)
        if (st /= KRC_OK) then
          status = 2
          message = d%inp//', case '//itoa(icase)//': the climate opacity file '// &
                    quote(trim(pp%files(24)))//': '//trim(msg)
          exit
        end if
      end if
      if (status /= 0) exit
      ! krc-eclipse 7: what the eclipse and the planetary load refuse, before
      ! anything is written; then PARC(11), PARC(12) as the case leaves them.
      call eclipse_preflight(d, pc, icase, case_line, status, message)
      if (status /= 0) exit
      if (pc%parc(1) > 0.0_dp .or. pc%parw(1) > 0.0_dp) pp%parc(11) = pc%alat(pc%id(4))
      pp%parc(12) = pc%fd(6)
      if (midcase(pc)) then
        call mid_preflight(d, rr, pp, pc, icase, status, message)
        if (status /= 0) exit
      end if
      list_line = 0
    end do
    call deck_close(rr)
    if (status /= 0) return
    ! The print file's folder must be writable before anything is computed
    ! (no print file named: a plan only).
    if (len(d%prt) == 0 .or. .not. d%check_outputs) return
    open (newunit=unit, file=d%prt//'.tmp', status='replace', action='write', iostat=ios, &
          iomsg=msg)
    if (ios /= 0) then
      status = 2
      message = 'cannot write the print file '//d%prt//': '//trim(msg)
      return
    end if
    close (unit, status='delete', iostat=ios)
  end subroutine preflight

  !> One-point mode (krc-onepoint 1-5), entered at the type-10 line d%ch:
  !> the deck is closed, the requests of the one-point file run one case
  !> each, with the start line, the title, the column header and one result
  !> line per request on the print file.  status /= 0: a file the preflight
  !> read could not be read again.
  subroutine one_point_mode(d, status, message)
    type(drive_t), intent(inout) :: d
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(deck_reader_t) :: r1
    character(len=80) :: title
    character(len=TEXT_LEN) :: name
    character(len=20) :: comment
    character(len=24) :: num
    integer :: kind, nchg
    logical :: first_of_file
    real(dp) :: taud_in

    name = d%ch%text
    call deck_close(d%r)
    call one_open(r1, beside_deck(d, name), trim(name), d%inp, d%r%line, title, status, message)
    if (status /= 0) return
    d%one_name = trim(name)
    if (d%prt_open) call prt_one_start(d%u, title)
    first_of_file = .true.
    nchg = 0
    do
      call one_next(r1, d%p, d%ch, kind, status, message)
      if (status /= 0) exit
      select case (kind)
      case (ONE_CHANGE, ONE_SWITCH)
        nchg = nchg + 1
        if (d%prt_open) call prt_change(d%u, d%ch%t, d%ch%index, d%ch%value, d%ch%text, &
                                        d%ch%raw, d%ch%applied, d%ch%vals, d%ch%nvals)
        if (len_trim(d%ch%note) > 0) call say(d, MSG_WARN, r1%path//': '//trim(d%ch%note))
        if ((d%ch%t == 8 .and. d%ch%index == 5) .or. d%ch%t == 9) call close_t52(d, .false.)
        if (d%ch%t == 8 .and. d%ch%index == 5 .and. d%ch%applied .and. d%prt_open) &
          call prt_new_t52(d%u, d%ch%text)
        if (kind == ONE_SWITCH) then
          ! onepoint 2.1: the requests go on from another one-point file
          name = d%ch%text
          call deck_close(r1)
          call one_open(r1, beside_deck(d, name), trim(name), d%one_name, d%ch%line, title, &
                        status, message)
          if (status /= 0) return
          d%one_name = trim(name)
          if (d%prt_open) call prt_one_start(d%u, title)
          first_of_file = .true.
        end if
      case (ONE_REQUEST)
        comment = d%ch%raw(53:72)
        call one_apply(d%p, d%ch%vals, taud_in)
        if (taud_in < 0.0_dp) then
          write (num, '(g12.5)') taud_in
          call say(d, MSG_WARN, r1%path//', line '//itoa(r1%line)//': TAUD invalid: '// &
                   trim(adjustl(num))//' reset to 0 (as KRC does)')
        end if
        d%nchanges = nchg
        d%list_line = r1%line
        d%onepoint = .true.
        d%point_ok = .false.
        call run_case(d)
        d%onepoint = .false.
        if (d%prt_open) then
          if (first_of_file) call prt_one_header(d%u)
          if (d%point_ok) call prt_one_result(d%u, [d%p%fd(45), d%p%alat(1), d%p%fd(84), &
                                              d%p%elev(1), d%p%fd(1), d%p%fd(3), d%p%fd(17), &
                                              d%p%fd(23), d%p%fd(24), d%point], comment)
        end if
        first_of_file = .false.
        nchg = 0
      case default
        exit
      end select
    end do
    call deck_close(r1)
  end subroutine one_point_mode

  !> Preflight of one-point mode (the type-10 line at deck line `line`
  !> names the file `name`; pp: the parameters there): every line of the
  !> one-point files is read and every request checked (one_check) before
  !> anything is written.
  subroutine one_preflight(d, pp, line, name0, status, message)
    type(drive_t), intent(inout) :: d
    type(deck_params_t), intent(in) :: pp
    integer, intent(in) :: line
    character(len=*), intent(in) :: name0
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(deck_reader_t) :: r1
    type(deck_params_t) :: p, pc
    type(deck_change_t) :: ch
    character(len=80) :: title
    character(len=TEXT_LEN) :: name
    character(len=MSG_LEN) :: msgs(10)
    character(len=:), allocatable :: shown
    integer :: kind, nmsg
    real(dp) :: taud_in
    logical :: atm_seen

    p = pp
    name = name0
    atm_seen = .false.
    call one_open(r1, beside_deck(d, name), trim(name), d%inp, line, title, status, message)
    if (status /= 0) return
    shown = trim(name)
    do
      call one_next(r1, p, ch, kind, status, message)
      if (status /= 0) exit
      if (kind == ONE_SWITCH) then
        name = ch%text
        call deck_close(r1)
        call one_open(r1, beside_deck(d, name), trim(name), shown, ch%line, title, status, &
                      message)
        if (status /= 0) return
        shown = trim(name)
      else if (kind == ONE_REQUEST) then
        call one_apply(p, ch%vals, taud_in)
        pc = p
        call deck_checks(pc, msgs, nmsg)
        call one_check(pc, r1%path//', line '//itoa(r1%line), atm_seen, status, message)
        if (status /= 0) exit
        if (d%check_outputs .and. len_trim(pc%files(5)) >= 4 .and. pc%id(5) >= pc%id(12)) then
          if (.not. folder_exists(pc%files(5))) then
            status = 2
            message = d%inp//': cannot write the type-52 file '//quote(trim(pc%files(5)))// &
                      ': the folder of the type-52 file does not exist (KRC names it '// &
                      'relative to the current directory)'
            exit
          end if
        end if
      else if (kind /= ONE_CHANGE) then
        exit
      end if
    end do
    call deck_close(r1)
  end subroutine one_preflight

  !> krc-eclipse 7 for one case of the preflight (pc: its parameters as it
  !> will run): the set-up of case_run (krc_season::case_eclipse_plan), and
  !> a refusal (status 2, or 3 for what is not implemented) naming the
  !> parameter and the reason.  A case whose own set-up fails is left to
  !> fail when it runs, as any case.
  subroutine eclipse_preflight(d, pc, icase, line, status, message)
    type(drive_t), intent(in) :: d
    type(deck_params_t), intent(in) :: pc
    integer, intent(in) :: icase, line
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(ecl_case_t) :: ec
    real(dp), allocatable :: zone(:, :)
    integer :: nz, nlat, outcome, st
    character(len=MSG_LEN) :: msg

    status = 0
    message = ' '
    if (.not. (pc%parc(1) > 0.0_dp .or. pc%parw(1) > 0.0_dp)) return
    if (pc%id(4) < 1 .or. pc%id(4) > MAXN4) return
    call case_zone(pc, nz, zone)
    call case_eclipse_plan(pc%fd, pc%id, pc%ld, pc%alat(1:pc%id(4)), pc%porb, nz, &
                           zone(:, 1:max(nz, 1)), pc%parc, pc%parw, ec, nlat, outcome, st, msg)
    if (outcome /= ECLP_ECLIPSE) return
    status = merge(3, 2, st == KRC_E_UNSUPPORTED)
    message = d%inp//', line '//itoa(line)//', column 1: case '//itoa(icase)//': '//trim(msg)// &
              '. Nothing was computed or written.'
  end subroutine eclipse_preflight

  !> The zone table a case's grid uses (nz = 0: none; zone has >= 1 column).
  subroutine case_zone(p, nz, zone)
    type(deck_params_t), intent(in) :: p
    integer, intent(out) :: nz
    real(dp), allocatable, intent(out) :: zone(:, :)
    nz = 0
    if (p%ld(14) .and. allocated(p%zone)) nz = p%nzone
    if (nz > 0) then
      zone = p%zone(:, 1:nz)
    else
      allocate (zone(4, 1))
      zone = 0.0_dp
    end if
  end subroutine case_zone

  pure function quote(s) result(q)
    character(len=*), intent(in) :: s
    character(len=:), allocatable :: q
    q = "'"//s//"'"
  end function quote

  !> Options in effect that the core does not implement: bits SK_* of the
  !> reasons the case is not computed, NT_* of outputs that are not written.
  !> Eclipses, the planetary load and the type-16 file are run in deck
  !> cases (krc-eclipse), not in one-point requests (onepoint).
  subroutine unsupported(p, onepoint, skip, notes)
    type(deck_params_t), intent(in) :: p
    logical, intent(in) :: onepoint
    integer, intent(out) :: skip, notes
    skip = 0
    notes = 0
    ! 8 21 with K4OUT < 0 writes a far-field file (farfield-climate A2)
    if (len_trim(p%files(21)) > 0 .and. p%id(17) >= 0) notes = ior(notes, NT_DIRECT)
    ! krc-print-extras 11 ([code] only, not validated): not written
    if (p%ld(17)) notes = ior(notes, NT_LPTAVE)
    if (p%id(15) == 101 .or. p%id(15) == 102) notes = ior(notes, NT_FORT77)
    ! the one-point computation has no eclipse, planetary load, type-16 or
    ! far-field term
    if (onepoint) then
      if (p%nlad >= 1) notes = ior(notes, NT_TYPE16)
      if (p%parc(1) > 0.0_dp) skip = ior(skip, SK_ECLIPSE)
      if (p%parw(1) > 0.0_dp) skip = ior(skip, SK_PLANFLUX)
      if (len_trim(p%files(3)) > 0 .or. len_trim(p%files(4)) > 0) skip = ior(skip, SK_FARFIELD)
    end if
  end subroutine unsupported

  !> Mid-case change lists are read in this case (formats 1.9.5): LSC, or
  !> IDOWN a season of the case.
  pure logical function midcase(p)
    type(deck_params_t), intent(in) :: p
    midcase = p%ld(13) .or. (p%id(13) >= 1 .and. p%id(13) <= p%id(5))
  end function midcase

  !> LP5 tables of output seasons is1..is2 (formats 2.6).
  subroutine print_lp5(d, hourly, fd_out, n24, n4, nsout, is1, is2)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: n24, n4, nsout, is1, is2
    real(dp), intent(in) :: hourly(n24, 7, n4, nsout), fd_out(NFD)
    integer :: is, j5, ndays(37)
    real(dp) :: djul, sdec, dau, subs, cst(9)
    do is = is1, is2
      j5 = d%p%id(12) + is - 1
      djul = d%p%fd(41) + real(j5 - 1, dp)*d%p%fd(42)
      call geometry(d%p, djul, sdec, dau, subs)
      ndays(1:n4) = nint(hourly(1, 6, :, is))
      cst = [d%p%fd(1), d%p%fd(2), d%p%fd(3), sdec, dau, subs, djul, &
             fd_pick(fd_out, d%p%id(14)), fd_pick(fd_out, d%p%id(15))]
      call prt_lp5(d%u, d%p%title, d%nrun, d%ncase, d%runtime, d%page, cst, j5, n24, n4, &
                   d%p%alat(1:n4), hourly(:, 1, :, is), hourly(2, 6, :, is), ndays(1:n4))
    end do
  end subroutine print_lp5

  !> A case with mid-case change lists (formats 1.9.5, krc-onepoint 8.2):
  !> at the start of season J5, if LSC is true or J5 = IDOWN, the banner of
  !> the running case and the next change list of the deck (echoed and
  !> applied); the seasons up to the next list are one piece, computed with
  !> the parameters then in effect from the state the previous piece left
  !> (DRV_RUN), planned as one plan each (DRV_PLAN), or taken from the whole
  !> case's result (DRV_WRITE).  The LP5 tables of a piece follow it.  The
  !> snapshot (fd_out, id_out, ld_snap) is that of the piece holding JDISK;
  !> id3 the N3 after the last piece (physics 5.3: lowered at every set-up).
  !> After a failed piece the remaining lists are still read (the stream
  !> stays that of the plan), nothing more is computed.
  subroutine run_pieces(d, n4, n24, nsout, nzone, zone, alb_tab, tau_tab, skip, notes, compute, &
                        hourly, svals, fd_out, id_out, ld_snap, id3, st, msg, t0, t1)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: n4, n24, nsout, nzone, skip, notes
    real(dp), intent(in) :: zone(:, :), alb_tab(:, :), tau_tab(:, :), t0
    logical, intent(in) :: compute
    real(dp), intent(out) :: hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), fd_out(NFD)
    integer, intent(out) :: id_out(NID), id3, st
    logical, intent(out) :: ld_snap(NLD)
    character(len=MSG_LEN), intent(out) :: msg
    real(dp), intent(out) :: t1
    type(season_carry_t) :: carry
    real(dp), allocatable :: h(:, :, :, :), sv(:, :), lay(:, :, :, :)
    real(dp) :: fo(NFD), ta, tb, elapsed
    integer :: io(NID), j5a, j5b, n5, jdisk, is1, is2, st1
    character(len=MSG_LEN) :: msg1
    real(dp) :: nolog(0)

    n5 = d%p%id(5)
    jdisk = d%p%id(12)
    if (jdisk <= 0) jdisk = 9999
    hourly = 0.0_dp
    svals = 0.0_dp
    fd_out = d%p%fd
    id_out = d%p%id
    ld_snap = d%p%ld
    st = KRC_OK
    msg = ' '
    t1 = t0
    elapsed = 0.0_dp
    ! no print log: the pieces print only their LP5 tables (print_lp5)
    if (d%mode == DRV_WRITE) call take_result(d, n24, n4, nsout, hourly, svals, fd_out, id_out, &
                                              st, msg, t0, t1, nolog)
    if (d%mode == DRV_PLAN .and. allocated(d%assume_ok)) then
      if (d%icase <= size(d%assume_ok)) then
        if (.not. d%assume_ok(d%icase)) st = 1
      end if
    end if
    allocate (h(n24, 7, n4, nsout), sv(NSEASON_VALS, nsout), lay(n24, 0, n4, nsout))
    j5a = 1
    do
      if (d%p%ld(13) .or. d%p%id(13) == j5a) call mid_list(d)
      j5b = j5a
      do while (j5b < n5)
        if (d%p%ld(13) .or. d%p%id(13) == j5b + 1) exit
        j5b = j5b + 1
      end do
      is1 = max(1, j5a - jdisk + 1)
      is2 = min(nsout, j5b - jdisk + 1)
      if (jdisk >= j5a .and. jdisk <= j5b) then
        ld_snap = d%p%ld
        if (d%mode == DRV_PLAN) then
          fd_out = d%p%fd
          id_out = d%p%id
        end if
      end if
      select case (d%mode)
      case (DRV_PLAN)
        call record_plan(d, n4, n24, nsout, nzone, zone, alb_tab, tau_tab, skip, notes)
        d%plans(d%nplan)%season1 = j5a
        d%plans(d%nplan)%season2 = j5b
        d%plans(d%nplan)%cont = merge(1, 0, j5a > 1)
      case (DRV_RUN)
        if (compute .and. st == KRC_OK) then
          call cpu_time(ta)
          call case_run(d%p%fd, d%p%id, d%p%ld, n4, d%p%alat(1:n4), d%p%elev(1:n4), d%p%porb, &
                        nzone, zone(:, 1:nzone), n24, nsout, 0, alb_tab, tau_tab, h, sv, lay, fo, &
                        io, st1, msg1, seasons=[j5a, j5b], carry=carry)
          call cpu_time(tb)
          elapsed = elapsed + (tb - ta)
          if (st1 /= KRC_OK) then
            st = st1
            msg = msg1
          else
            if (is2 >= is1) then
              hourly(:, :, :, is1:is2) = h(:, :, :, is1:is2)
              svals(:, is1:is2) = sv(:, is1:is2)
            end if
            if (jdisk >= j5a .and. jdisk <= j5b) then
              fd_out = fo
              id_out = io
            end if
          end if
        end if
      end select
      d%p%id(3) = lowered_n3(d%p%id(3), d%p%id(5), d%p%fd(42), d%p%fd(6))
      if (compute .and. st == KRC_OK .and. d%p%ld(5) .and. d%prt_open .and. is2 >= is1) &
        call print_lp5(d, hourly, fd_out, n24, n4, nsout, is1, is2)
      j5a = j5b + 1
      if (j5a > n5) exit
    end do
    id3 = d%p%id(3)
    if (d%mode == DRV_PLAN) id_out(3) = lowered_n3(id_out(3), id_out(5), fd_out(42), fd_out(6))
    if (d%mode == DRV_RUN) t1 = t0 + elapsed
  end subroutine run_pieces

  !> A mid-case change list (onepoint 8.2): the banner with the running
  !> case's number, then the lines up to the 0 (or a line that ends the
  !> list, error 439), echoed and applied.  The preflight refused what
  !> cannot be read here.
  subroutine mid_list(d)
    type(drive_t), intent(inout) :: d
    integer :: kind, st
    character(len=MSG_LEN) :: msg
    if (d%prt_open) call prt_banner(d%u, d%ncase)
    do
      call deck_next(d%r, d%p, d%ch, kind, st, msg)
      if (st /= KRC_OK) exit
      if (kind /= DK_CHANGE .and. kind /= DK_CHANGE_ENDS) exit
      if (d%prt_open) call prt_change(d%u, d%ch%t, d%ch%index, d%ch%value, d%ch%text, &
                                      d%ch%raw, d%ch%applied, d%ch%vals, d%ch%nvals)
      if (len_trim(d%ch%note) > 0) call say(d, MSG_WARN, d%inp//': '//trim(d%ch%note))
      if (kind == DK_CHANGE_ENDS) exit
    end do
  end subroutine mid_list

  !> Preflight of the mid-case change lists of a case (formats 1.9.5,
  !> krc-onepoint 8.2): pc the case's parameters after KRC's input checks;
  !> the lists are read from rr and applied; pp becomes the parameters after
  !> them.  Refused (status 2, a trap of KRC; 3, not implemented), before
  !> anything is written: an empty or missing list (KRC ends the run there,
  !> 'TCard(2 return= 5'), a type-10 line in it (the case ends), IDOWN = N5 at
  !> the end of the case (KRC's 'continue' case), lines other than types
  !> 1-3, 12, 13, changes of N1, N4, N5, N24, JDISK (the sizes of the case),
  !> DJUL, DELJUL or LKEY (the dates are fixed at the case start), values
  !> KRC's input checks would reset, and mid-case lists together with
  !> eclipses, planetary flux, far-field or climate files.
  subroutine mid_preflight(d, rr, pp, pc, icase, status, message)
    type(drive_t), intent(in) :: d
    type(deck_reader_t), intent(inout) :: rr
    type(deck_params_t), intent(inout) :: pp
    type(deck_params_t), intent(in) :: pc
    integer, intent(in) :: icase
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(deck_params_t) :: pm, pb, pk
    type(deck_change_t) :: cc
    character(len=MSG_LEN) :: msg, msgs(10)
    character(len=:), allocatable :: at
    integer :: j5, n5, k, st, nmsg

    status = 0
    message = ' '
    pm = pc
    at = d%inp//', case '//itoa(icase)//': '
    if (pm%parc(1) > 0.0_dp .or. pm%parw(1) > 0.0_dp .or. len_trim(pm%files(3)) > 0 .or. &
        len_trim(pm%files(4)) > 0 .or. len_trim(pm%files(24)) > 0) then
      status = 3
      message = at//'mid-case change lists (LSC, IDOWN) together with eclipses, planetary '// &
                'flux, far-field or climate files are not implemented. Nothing was computed '// &
                'or written.'
      return
    end if
    n5 = pm%id(5)
    do j5 = 1, n5
      if (.not. (pm%ld(13) .or. pm%id(13) == j5)) cycle
      do
        pb = pm
        call deck_next(rr, pm, cc, k, st, msg)
        if (st /= KRC_OK) then
          status = 2
          message = msg
          return
        end if
        if (k == DK_EOF .or. k == DK_RUN_END) then
          status = 2
          message = d%inp//', line '//itoa(rr%line)//': the mid-case change list of season '// &
                    itoa(j5)//' of case '//itoa(icase)//' is empty (a 0 line first)'
          if (k == DK_EOF) message = d%inp//', line '//itoa(rr%line)//': the mid-case '// &
                    'change list of season '//itoa(j5)//' of case '//itoa(icase)// &
                    ' is missing (end of file)'
          message = trim(message)//': KRC ends the run there (TSEAS error 5, krc-onepoint '// &
                    '8.2); with LSC every season needs its own list. Nothing was computed '// &
                    'or written.'
          return
        end if
        if (k == DK_CASE) exit
        if (cc%applied .and. cc%t == 10) then
          status = 2
          message = d%inp//', line '//itoa(rr%line)//': a type-10 line in a mid-case change '// &
                    'list ends the case in KRC (krc-onepoint 8.2): switch to one-point mode '// &
                    'between cases. Nothing was computed or written.'
          return
        end if
        if (cc%applied .and. .not. any(cc%t == [1, 2, 3, 12, 13])) then
          status = 3
          message = d%inp//', line '//itoa(rr%line)//': a change line of type '//itoa(cc%t)// &
                    ' in a mid-case change list is not implemented (types 1, 2, 3, 12 and 13 '// &
                    'are). Nothing was computed or written.'
          return
        end if
        if (any(pb%id([1, 4, 5, 6, 12]) /= pm%id([1, 4, 5, 6, 12])) .or. &
            pb%fd(41) /= pm%fd(41) .or. pb%fd(42) /= pm%fd(42) .or. (pb%ld(12) .neqv. pm%ld(12))) &
          then
          status = 3
          message = d%inp//', line '//itoa(rr%line)//': changing N1, N4, N5, N24, JDISK, '// &
                    'DJUL, DELJUL or LKEY in a mid-case change list is not implemented (the '// &
                    'sizes and dates of a case are fixed when it begins). Nothing was '// &
                    'computed or written.'
          return
        end if
        if (k == DK_CHANGE_ENDS) exit
      end do
      pk = pm
      call deck_checks(pk, msgs, nmsg)
      if (nmsg > 0) then
        status = 3
        message = d%inp//', line '//itoa(rr%line)//': after the mid-case change list of '// &
                  'season '//itoa(j5)//' KRC''s input checks would reset a value ('// &
                  trim(msgs(1))//'); resetting in the middle of a case is not implemented. '// &
                  'Nothing was computed or written.'
        return
      end if
    end do
    if (n5 > 1 .and. pm%id(13) == n5) then
      status = 2
      message = at//'IDOWN = N5 = '//itoa(n5)//' at the end of the case makes KRC continue '// &
                'the season count in the next case (krc-onepoint 8.2): use an IDOWN below N5. '// &
                'Nothing was computed or written.'
      return
    end if
    pp = pm
  end subroutine mid_preflight

  !> The reasons of skip as words.
  function skip_words(skip) result(why)
    integer, intent(in) :: skip
    character(len=:), allocatable :: why
    why = ''
    if (iand(skip, SK_ECLIPSE) /= 0) call add_reason(why, 'eclipses (change type 14)')
    if (iand(skip, SK_PLANFLUX) /= 0) call add_reason(why, 'planetary fluxes (change type 15)')
    if (iand(skip, SK_FARFIELD) /= 0) call add_reason(why, 'far-field files (8 3, 8 4)')
    if (iand(skip, SK_CLIMATE) /= 0) call add_reason(why, 'the climate opacity file (8 24)')
    if (iand(skip, SK_MIDCASE) /= 0) call add_reason(why, 'mid-case change lists (LSC, IDOWN)')
  end function skip_words

  !> Read the seasonal tables of the case (files relative to the deck's
  !> folder, like the zone table); a table that cannot be read makes the case
  !> fail with the reason in why.
  subroutine season_tables(d, alb_tab, tau_tab, why)
    type(drive_t), intent(in) :: d
    real(dp), allocatable, intent(inout) :: alb_tab(:, :), tau_tab(:, :)
    character(len=:), allocatable, intent(inout) :: why
    integer :: n, st
    character(len=MSG_LEN) :: msg
    if (len_trim(d%p%files(22)) > 0) then
      call read_season_table(beside_deck(d, d%p%files(22)), alb_tab, n, st, msg)
      if (st /= KRC_OK) call add_reason(why, 'the albedo table: '//trim(msg))
    end if
    if (len_trim(d%p%files(23)) > 0) then
      call read_season_table(beside_deck(d, d%p%files(23)), tau_tab, n, st, msg)
      if (st /= KRC_OK) call add_reason(why, 'the opacity table: '//trim(msg))
    end if
  end subroutine season_tables

  !> A file named in the deck, relative to the deck's folder (as zone tables).
  function beside_deck(d, name) result(path)
    type(drive_t), intent(in) :: d
    character(len=*), intent(in) :: name
    character(len=:), allocatable :: path
    path = trim(name)
    if (len(path) == 0) return
    if (path(1:1) /= '/' .and. len(d%base) > 0) path = d%base//'/'//path
  end function beside_deck

  !> Whether the folder part of a file name exists (no folder part: yes).
  logical function folder_exists(name)
    character(len=*), intent(in) :: name
    integer :: k
    k = index(trim(name), '/', back=.true.)
    folder_exists = .true.
    if (k > 1) inquire (file=name(1:k - 1)//'/.', exist=folder_exists)
  end function folder_exists

  !> Append one item to a comma-separated list.
  subroutine add_reason(why, item)
    character(len=:), allocatable, intent(inout) :: why
    character(len=*), intent(in) :: item
    if (len(why) > 0) why = why//', '
    why = why//item
  end subroutine add_reason

  !> One case: KRC's input checks, echo and layer table, the type-52 file,
  !> the core (or the plan / the given result), the print tables and the
  !> timing lines (formats 2.1).
  subroutine run_case(d)
    type(drive_t), intent(inout) :: d
    character(len=MSG_LEN) :: msgs(10), msg
    integer :: nmsg, i, n4, n24, nsout, st, nzone, skip, notes, j5
    real(dp), allocatable :: hourly(:, :, :, :), svals(:, :), layers(:, :, :, :), zone(:, :)
    real(dp), allocatable :: alb_tab(:, :), tau_tab(:, :), plog(:)
    real(dp) :: fd_out(NFD), t0, t1
    integer :: id_out(NID), npl, ios
    character(len=TEXT_LEN) :: save
    character(len=:), allocatable :: why, c, tlats
    real(sp) :: clim(CLIM_NLS, CLIM_NLAT, CLIM_NK)
    logical :: use_clim, mid, ld_keep(NLD), ld_snap(NLD)
    integer :: plan0, id3_mid
    real(sp), allocatable :: clim_a(:, :, :)
    ! far-field files of the case (farfield-climate A)
    logical :: ff_reads, ff_writes, ff_written
    integer :: ff_st
    character(len=MSG_LEN) :: ff_msg
    ! eclipses and the type-16 file (krc-eclipse 6)
    type(ecl_case_t) :: ec
    type(case_result_t) :: ex
    logical :: eok, rare
    integer :: nlat, outcome, n2, nlad
    real(dp), allocatable :: fine_depth(:)
    integer, allocatable :: nfine_

    d%icase = d%icase + 1
    d%ncase = d%ncase + 1
    call deck_checks(d%p, msgs, nmsg)
    do i = 1, nmsg
      call say(d, MSG_WARN, d%inp//', case '//itoa(d%ncase)//': KRC input check: '// &
               trim(msgs(i)))
    end do
    call unsupported(d%p, d%onepoint, skip, notes)
    mid = midcase(d%p)
    plan0 = d%nplan + 1
    c = d%inp//', case '//itoa(d%ncase)//': '
    if (iand(notes, NT_TYPE16) /= 0) call say(d, MSG_WARN, c// &
      'the type-16 high-resolution output is not written')
    if (iand(notes, NT_DIRECT) /= 0) call say(d, MSG_WARN, c// &
      'the direct-access output (8 21) is not written')
    if (iand(notes, NT_LPTAVE) /= 0) call say(d, MSG_WARN, c// &
      'the LPTAVE lines (LD17) of the print file are not written')
    if (iand(notes, NT_FORT77) /= 0) call say(d, MSG_WARN, c// &
      'fort.77 (I15 = 101 or 102) is not written')
    why = skip_words(skip)
    n4 = d%p%id(4)
    n24 = d%p%id(6)
    nsout = max(0, d%p%id(5) - d%p%id(12) + 1)
    save = 'no'
    if (len_trim(d%p%files(5)) >= 4) save = d%p%files(5)
    nzone = 0
    if (d%p%ld(14) .and. allocated(d%p%zone)) nzone = d%p%nzone
    if (nzone > 0) then
      zone = d%p%zone(:, 1:nzone)
    else
      allocate (zone(4, 1))
      zone = 0.0_dp
    end if

    d%p%id(36) = d%ncase
    if (d%first_case .or. (d%p%ld(2) .and. d%nchanges > 0)) call head(d, n4, save, nzone, zone, &
                                                                      .true.)
    d%first_case = .false.

    ! krc-eclipse 5.2, 6.1: the set-up of the eclipse and the load, and the
    ! rare eclipse's set-up lines (after the layer table, printed or not).
    eok = .false.
    rare = .false.
    nlat = 0
    if (len(why) == 0 .and. (d%p%parc(1) > 0.0_dp .or. d%p%parw(1) > 0.0_dp)) then
      call case_eclipse_plan(d%p%fd, d%p%id, d%p%ld, d%p%alat(1:n4), d%p%porb, nzone, &
                             zone(:, 1:max(nzone, 1)), d%p%parc, d%p%parw, ec, nlat, outcome, &
                             st, msg)
      eok = outcome == ECLP_OK
      rare = eok .and. ec%mode == ECL_RARE
      if (rare .and. d%prt_open) call prt_fine_setup(d%u, ec%fs%nf, ec%fs%z(ec%fs%nf), &
        ec%fs%glast(0:ec%fs%kdbl), d%ncase, d%ecl_season, d%ecl_lat, 1, ec%j1, ec%j2)
    end if
    d%ecl_season = d%p%id(5)
    d%ecl_lat = n4 + 1
    ! print-extras 7: the type-16 series of latitude NLAD (deck cases only)
    n2 = d%p%id(2)
    nlad = 0
    if (.not. d%onepoint .and. d%p%nlad >= 1 .and. d%p%nlad <= n4) nlad = d%p%nlad

    ! Formats 3.2: a type-52 file for names of >= 4 characters and N5 >= JDISK;
    ! NCASE counts the cases of the file from the one that opened it (m1.prt).
    if (len_trim(d%p%files(5)) >= 4 .and. nsout >= 1 .and. .not. d%f52%open) then
      d%nrun = d%nrun + 1
      d%nt52 = d%nt52 + 1
      d%p%id(11) = d%nrun
      d%ncase = 1
      d%p%id(36) = d%ncase
      d%f52%open = .true.
      d%f52%name = d%p%files(5)
      d%f52%n24 = n24
      d%f52%n4 = n4
      d%f52%nsout = nsout
      call t52_sizes(n24, n4, nsout, d%f52%mm3, d%f52%ndx, d%f52%kase)
      d%f52%mase = KOMMON/d%f52%kase
      d%f52%ncase = 0
      if (d%prt_open) call prt_t52_open(d%u, n24, n4, nsout)
    end if
    ! farfield-climate A1, A2: open the files the case reads, the one it writes
    ff_st = KRC_OK
    ff_msg = ' '
    ff_writes = .false.
    if (.not. d%onepoint) call ff_case_start(d, nsout, ff_writes, ff_st, ff_msg)
    ff_reads = len_trim(d%ffs_name) > 0 .and. .not. d%onepoint
    if (d%prt_open) call prt_separator(d%u, d%nrun, d%ncase)

    allocate (hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), layers(n24, 0, n4, nsout))
    ! Physics 11: the seasonal albedo / opacity tables named by 8 22 / 8 23.
    allocate (alb_tab(2, 0), tau_tab(2, 0))
    if (len(why) == 0) then
      call season_tables(d, alb_tab, tau_tab, why)
      if (len(why) > 0) skip = ior(skip, SK_TABLE)
    end if
    ! The climate opacity file of change 8 24 (farfield-climate B), beside the deck.
    use_clim = len_trim(d%p%files(24)) > 0
    if (use_clim .and. len(why) == 0) then
      call climate_read(beside_deck(d, d%p%files(24)), clim, st, msg)
      if (st /= KRC_OK) then
        call add_reason(why, 'the climate opacity file: '//trim(msg))
        skip = ior(skip, SK_CLIMATE)
      end if
    end if
    ! krc-print-extras 1.2: the season-loop tables need the core's print log
    ! (one-point requests and cases in pieces print none of them).
    npl = 0
    if (.not. d%onepoint .and. .not. mid) npl = print_log_size(d%p%fd, d%p%id, d%p%ld, &
                                                  d%p%porb, nzone, zone(:, 1:nzone), n4)
    allocate (plog(npl))
    if (d%mode == DRV_PLAN .and. .not. mid) then
      call record_plan(d, n4, n24, nsout, nzone, zone, alb_tab, tau_tab, skip, notes)
      if (use_clim) d%plans(d%nplan)%climate = clim
      if (ff_reads) d%plans(d%nplan)%ff_surf = d%ffs_name
      if (ff_reads) d%plans(d%nplan)%ff_atm = d%ffa_name
      if (ff_writes) d%plans(d%nplan)%ff_out = d%p%files(21)
      d%plans(d%nplan)%nlad = nlad
      if (rare .and. nlat > 0) d%plans(d%nplan)%fine_shape = [ec%nrow, ec%mcap, nlat]
    end if
    call cpu_time(t0)
    ! Formats 1.9.5, krc-onepoint 8.2: the case in pieces between its
    ! mid-case change lists (read, echoed and applied here in every mode).
    if (mid) call run_pieces(d, n4, n24, nsout, nzone, zone, alb_tab, tau_tab, skip, notes, &
                             len(why) == 0, hourly, svals, fd_out, id_out, ld_snap, id3_mid, st, &
                             msg, t0, t1)
    if (len(why) > 0) then
      ! Not computed: the numbers would not be KRC's.  The slot stays zero.
      call say(d, MSG_CASE, c//why//' not implemented: the case is not computed (its type-52 '// &
               'slot stays zero)')
      if (d%exit_code == 0) d%exit_code = 3
      d%p%id(3) = lowered_n3(d%p%id(3), d%p%id(5), d%p%fd(42), d%p%fd(6))
      hourly = 0.0_dp
      svals = 0.0_dp
      fd_out = d%p%fd
      id_out = d%p%id
      st = -1
      call cpu_time(t1)
    else if (.not. mid) then
      select case (d%mode)
      case (DRV_RUN)
        if (d%onepoint) then
          call one_case(d%p%fd, d%p%id, d%p%ld, n4, d%p%alat(1:n4), d%p%elev(1:n4), d%p%porb, &
                        nzone, zone(:, 1:nzone), n24, nsout, alb_tab, tau_tab, hourly, svals, &
                        fd_out, id_out, d%point, st, msg)
        else if (ff_st /= KRC_OK) then
          ! a far-field file read by the preflight could not be read again
          hourly = 0.0_dp
          svals = 0.0_dp
          fd_out = d%p%fd
          id_out = d%p%id
          st = ff_st
          msg = ff_msg
        else
          ! unallocated allocatables: absent optional arguments (no climate
          ! file, no far-field file, no type-16 or rare-eclipse records)
          if (use_clim) clim_a = clim
          if (nlad > 0) allocate (ex%tout(n2))
          if (rare .and. nlat > 0) then
            allocate (ex%fine(ec%nrow, ec%mcap, nlat), ex%fine_win(3, nlat), &
                      ex%fine_end(4, n4), fine_depth(ec%nrow), nfine_)
          end if
          call case_run(d%p%fd, d%p%id, d%p%ld, n4, d%p%alat(1:n4), d%p%elev(1:n4), d%p%porb, &
                        nzone, zone(:, 1:nzone), n24, nsout, 0, alb_tab, tau_tab, hourly, &
                        svals, layers, fd_out, id_out, st, msg, climate=clim_a, ff_surf=d%ffs, &
                        ff_atm=d%ffa, stale_ta4=d%stale_ta4, parc=d%p%parc, parw=d%p%parw, &
                        nlad=nlad, tout=ex%tout, fine=ex%fine, fine_win=ex%fine_win, &
                        nfine=nfine_, fine_depth=fine_depth, fine_end=ex%fine_end, plog=plog)
          if (allocated(nfine_)) ex%nfine = nfine_
        end if
        call cpu_time(t1)
      case (DRV_PLAN)
        ! the outcome the caller assumes; N3 as the core lowers it (physics 5.3)
        hourly = 0.0_dp
        svals = 0.0_dp
        fd_out = d%p%fd
        id_out = d%p%id
        id_out(3) = lowered_n3(d%p%id(3), d%p%id(5), d%p%fd(42), d%p%fd(6))
        st = KRC_OK
        msg = ' '
        if (allocated(d%assume_ok)) then
          if (d%icase <= size(d%assume_ok)) then
            if (.not. d%assume_ok(d%icase)) st = 1
          end if
        end if
        t1 = t0
      case default
        call take_result(d, n24, n4, nsout, hourly, svals, fd_out, id_out, st, msg, t0, t1, plog)
        if (st == KRC_OK) call take_extras(d, n2, n4, nlad, rare, ec, nlat, ex)
      end select
    end if
    if (st == -1) then
      continue
    else if (st /= KRC_OK) then
      if (d%prt_open) call prt_fatal(d%u, st)
      if (d%mode /= DRV_PLAN) call say(d, MSG_CASE, c//trim(msg))
      d%exit_code = 1
      hourly = 0.0_dp
      ! formats 2.1: after an error the inputs and the layer table are echoed again
      call head(d, n4, save, nzone, zone, .false.)
      d%p%id(3) = lowered_n3(d%p%id(3), d%p%id(5), d%p%fd(42), d%p%fd(6))
    else if (mid) then
      d%p%id(3) = id3_mid         ! as the last piece lowered it (run_pieces)
    else
      ! physics 5.3 item 17: the N3 lowered by the core stays for later cases
      d%p%id(3) = id_out(3)
    end if
    if (d%f52%open .and. len_trim(d%p%files(5)) >= 4 .and. nsout >= 1) then
      if (d%mode == DRV_PLAN) then
        d%plans(plan0:d%nplan)%t52 = d%nt52
      else
        if (.not. d%p%ld(11)) fd_out(68) = d%yriday
        ! the snapshot's logicals are those in effect at season JDISK (onepoint 8.2)
        ld_keep = d%p%ld
        if (mid) d%p%ld = ld_snap
        call store_case(d, hourly, svals, fd_out, id_out, st == KRC_OK, n24, n4, nsout)
        d%p%ld = ld_keep
      end if
    end if
    ! krc-eclipse 6, print-extras 7: the last season's eclipse lines, the
    ! type-16 file and the tfine file.
    tlats = ''
    if (st == KRC_OK .and. d%mode /= DRV_PLAN) then
      if (npl > 0 .and. d%prt_open) then
        call eclipse_outputs(d, ec, rare, nlat, ex, n2, n4, nlad, tlats)
      else
        call eclipse_outputs(d, ec, rare, nlat, ex, n2, n4, nlad)
      end if
    end if

    ! A2: the far-field file of a writing case (DRV_WRITE: the caller wrote it)
    ff_written = .false.
    if (ff_writes .and. st == KRC_OK) call ff_case_end(d, n24, n4, nsout, hourly, svals, fd_out, &
                                                       id_out, ff_written)
    ! krc-print-extras 1.2: the season-loop tables (and fort.76) from the print
    ! log, each season after the far-field read line of a reading case (A3.2 item 6)
    if (st == KRC_OK .and. (npl > 0 .or. ff_reads) .and. d%prt_open) then
      if (npl > 0 .and. d%p%ld(16) .and. .not. d%f76_open) then
        open (newunit=d%u76, file='fort.76.tmp', status='replace', action='write', &
              form='formatted', iostat=ios)
        d%f76_open = ios == 0
        if (.not. d%f76_open) then
          d%u76 = -1
          call say(d, MSG_OUTPUT, 'cannot write fort.76')
          d%exit_code = 1
        end if
      end if
      do j5 = 1, d%p%id(5)
        if (ff_reads) call ff_season_lines(d, j5)
        if (npl > 0) call prt_seasons(d%u, d%u76, d%f76_open, d%p%title, d%nrun, d%ncase, &
                                      d%runtime, d%page, fd_out, d%p%id(14), d%p%id(15), d%p%ld, &
                                      n4, d%p%alat(1:n4), plog, d%p%nlad, tlats, j5)
      end do
    end if

    ! Formats 2.4: later cases hold the last season's SDEC, DAU, Ls, and
    ! FD(68) the orbit period (m1: the case after an LPORB case computes with them).
    if (st == KRC_OK .and. d%p%ld(11)) then
      call geometry(d%p, d%p%fd(41) + real(d%p%id(5) - 1, dp)*d%p%fd(42), d%p%fd(43), &
                    d%p%fd(44), d%p%fd(45))
      d%yriday = d%p%porb(14)
    end if
    ! Eclipse words 11-12 as KRC leaves them (current latitude, sol length).
    if (d%p%parc(1) > 0.0_dp .or. d%p%parw(1) > 0.0_dp) d%p%parc(11) = d%p%alat(n4)
    d%p%parc(12) = d%p%fd(6)
    if (d%onepoint) then
      ! krc-onepoint 5.1: no timing lines, and the time is not in the total
      d%point_ok = st == KRC_OK
      d%point_seconds = d%point_seconds + (t1 - t0)
      return
    end if
    ! A2: the record number the original prints is 4 + n (NS - 1) (the T_a slot
    ! of the last season: 16 for f1flat's kind -3, 8 for aflat's kind -1, 5 seasons)
    if (d%prt_open .and. ff_written) then
      call prt_case_end(d%u, t1 - t0, d%p%id(5), d%p%id(5), d%ncase, [t1 - t0, t1 - t0, 0.0_dp], &
                        ff_closed=[d%p%id(17), 4 + min(3, -d%p%id(17))*(nsout - 1)])
    else if (d%prt_open) then
      call prt_case_end(d%u, t1 - t0, d%p%id(5), d%p%id(5), d%ncase, &
                        [t1 - t0, t1 - t0, 0.0_dp])
    end if
  end subroutine run_case

  !> Page heading, file lines, parameter echo and layer table (formats 2.3-2.5).
  subroutine head(d, n4, save, nzone, zone, report)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: n4, nzone
    character(len=*), intent(in) :: save
    real(dp), intent(in) :: zone(:, :)
    logical, intent(in) :: report
    logical :: ld(NLD)
    integer :: st, nrow
    character(len=MSG_LEN) :: msg
    real(dp), allocatable :: zrows(:, :)
    if (.not. d%prt_open) return
    if (allocated(d%one_name)) then
      ! krc-onepoint 5.1: the one-point file is the input, Prt78 shows T (the
      ! type-52 snapshot keeps the deck's value, section 7)
      ld = d%p%ld
      ld(18) = .true.
      call prt_case_head(d%u, d%p%title, d%nrun, d%ncase, d%runtime, d%page, d%one_name, d%prt, &
                         save, d%p%fd, d%p%id, ld, n4, d%p%alat(1:n4), d%p%elev(1:n4))
    else
      call prt_case_head(d%u, d%p%title, d%nrun, d%ncase, d%runtime, d%page, d%inp, d%prt, save, &
                         d%p%fd, d%p%id, d%p%ld, n4, d%p%alat(1:n4), d%p%elev(1:n4))
    end if
    ! krc-print-extras 5: the zone table is read again for its listing
    st = 1
    if (d%p%ld(14) .and. nzone > 0) call read_zone_listing(beside_deck(d, d%p%files(25)), &
                                                           zrows, nrow, st, msg)
    if (st == KRC_OK) then
      call prt_layers(d%u, d%p%fd, d%p%id, d%p%ld, d%p%porb, nzone, zone(:, 1:nzone), &
                      d%p%parc(1), d%p%parw(1), st, msg, zrows=zrows(:, 1:nrow))
    else
      call prt_layers(d%u, d%p%fd, d%p%id, d%p%ld, d%p%porb, nzone, zone(:, 1:nzone), &
                      d%p%parc(1), d%p%parw(1), st, msg)
    end if
    if (st /= KRC_OK .and. report) write (d%u, '(a,a)') ' Layer table: ', trim(msg)
  end subroutine head

  !> DRV_PLAN: what the core gets for this case.
  subroutine record_plan(d, n4, n24, nsout, nzone, zone, alb_tab, tau_tab, skip, notes)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: n4, n24, nsout, nzone, skip, notes
    real(dp), intent(in) :: zone(:, :), alb_tab(:, :), tau_tab(:, :)
    type(case_plan_t), allocatable :: grown(:)
    integer :: n, k
    d%nplan = d%nplan + 1
    n = size(d%plans)
    if (d%nplan > n) then
      allocate (grown(max(8, 2*n)))
      do k = 1, n
        call move_plan(d%plans(k), grown(k))
      end do
      call move_alloc(grown, d%plans)
    end if
    associate (q => d%plans(d%nplan))
      q%fd = d%p%fd
      q%id = d%p%id
      q%ld = d%p%ld
      q%n4 = n4
      q%n24 = n24
      q%nsout = nsout
      q%alat = d%p%alat
      q%elev = d%p%elev
      q%porb = d%p%porb
      q%title = d%p%title
      q%nzone = nzone
      q%zone = zone(:, 1:max(nzone, 1))
      q%alb = alb_tab
      q%tau = tau_tab
      q%skip = skip
      q%notes = notes
      q%label = d%ncase
      q%t52 = 0
      q%line = d%list_line
      q%onepoint = merge(1, 0, d%onepoint)
      q%season1 = 1
      q%season2 = d%p%id(5)
      q%cont = 0
      q%parc = d%p%parc
      q%parw = d%p%parw
      if (.not. d%p%ld(11)) q%fd(68) = d%yriday
    end associate
  end subroutine record_plan

  subroutine move_plan(a, b)
    type(case_plan_t), intent(inout) :: a
    type(case_plan_t), intent(out) :: b
    b%fd = a%fd; b%id = a%id; b%ld = a%ld; b%n4 = a%n4; b%n24 = a%n24; b%nsout = a%nsout
    b%alat = a%alat; b%elev = a%elev; b%porb = a%porb; b%title = a%title; b%nzone = a%nzone
    b%skip = a%skip; b%notes = a%notes; b%label = a%label; b%t52 = a%t52; b%line = a%line
    b%onepoint = a%onepoint
    b%season1 = a%season1; b%season2 = a%season2; b%cont = a%cont
    b%ff_surf = a%ff_surf; b%ff_atm = a%ff_atm; b%ff_out = a%ff_out
    b%parc = a%parc; b%parw = a%parw; b%nlad = a%nlad; b%fine_shape = a%fine_shape
    if (allocated(a%zone)) call move_alloc(a%zone, b%zone)
    if (allocated(a%alb)) call move_alloc(a%alb, b%alb)
    if (allocated(a%tau)) call move_alloc(a%tau, b%tau)
    if (allocated(a%climate)) call move_alloc(a%climate, b%climate)
  end subroutine move_plan

  !> DRV_WRITE: the result of this case, computed by the caller.
  subroutine take_result(d, n24, n4, nsout, hourly, svals, fd_out, id_out, st, msg, t0, t1, plog)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: n24, n4, nsout
    !> the print log the case needs (its size decides): the given one
    real(dp), intent(inout) :: plog(:)
    real(dp), intent(out) :: hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), fd_out(NFD)
    integer, intent(out) :: id_out(NID), st
    character(len=MSG_LEN), intent(out) :: msg
    real(dp), intent(in) :: t0
    real(dp), intent(out) :: t1
    hourly = 0.0_dp
    svals = 0.0_dp
    fd_out = d%p%fd
    id_out = d%p%id
    t1 = t0
    st = 1
    msg = 'no result was given for this case'
    if (.not. allocated(d%results)) return
    if (d%icase > size(d%results)) return
    associate (res => d%results(d%icase))
      st = res%status
      msg = res%message
      t1 = t0 + res%seconds
      d%point = res%point
      if (st /= KRC_OK) return
      if (.not. allocated(res%hourly) .or. .not. allocated(res%svals)) then
        st = 1
        msg = 'no result was given for this case'
        return
      end if
      if (any(shape(res%hourly) /= [n24, 7, n4, nsout]) .or. &
          any(shape(res%svals) /= [NSEASON_VALS, nsout])) then
        st = 1
        msg = 'the result given for this case has the wrong shape'
        return
      end if
      if (size(plog) > 0) then
        if (.not. allocated(res%plog)) then
          st = 1
          msg = 'no print log was given for this case'
          return
        end if
        if (size(res%plog) /= size(plog)) then
          st = 1
          msg = 'the print log given for this case has the wrong size'
          return
        end if
        plog = res%plog
      end if
      hourly = res%hourly
      svals = res%svals
      fd_out = res%fd_out
      id_out = res%id_out
    end associate
  end subroutine take_result

  !> DRV_WRITE: the type-16 series and the rare-eclipse records of this case
  !> from its result, checked against the plan's shapes (a result without
  !> them writes no file).
  subroutine take_extras(d, n2, n4, nlad, rare, ec, nlat, ex)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: n2, n4, nlad, nlat
    logical, intent(in) :: rare
    type(ecl_case_t), intent(in) :: ec
    type(case_result_t), intent(inout) :: ex
    if (.not. allocated(d%results)) return
    if (d%icase > size(d%results)) return
    associate (res => d%results(d%icase))
      if (nlad > 0 .and. allocated(res%tout)) then
        if (size(res%tout) == n2) ex%tout = res%tout
      end if
      if (rare .and. nlat > 0 .and. allocated(res%fine) .and. allocated(res%fine_win) .and. &
          allocated(res%fine_end)) then
        if (all(shape(res%fine) == [ec%nrow, ec%mcap, nlat]) .and. &
            all(shape(res%fine_win) == [3, nlat]) .and. all(shape(res%fine_end) == [4, n4]) &
            .and. res%nfine >= 0 .and. res%nfine <= nlat) then
          ex%fine = res%fine
          ex%fine_win = res%fine_win
          ex%fine_end = res%fine_end
          ex%nfine = res%nfine
        end if
      end if
    end associate
  end subroutine take_extras

  !> After a case that succeeded (krc-eclipse 6.1, 6.3; print-extras 7): for
  !> each latitude of the last season the rare eclipse's -777 and End eclipse
  !> lines and, at latitude NLAD, the type-16 file and its notice; then the
  !> tfine file and its lines.  Files are written whole or not at all (the
  !> bin5 library's temporary name); a failure is an output error (exit 1).
  subroutine eclipse_outputs(d, ec, rare, nlat, ex, n2, n4, nlad, tlats)
    type(drive_t), intent(inout) :: d
    type(ecl_case_t), intent(in) :: ec
    logical, intent(in) :: rare
    integer, intent(in) :: nlat, n2, n4, nlad
    type(case_result_t), intent(in) :: ex
    !> present: the type-16 notice is returned (the season tables print it
    !> after LP4 of latitude NLAD in the last season, print-extras 7), not printed
    character(len=:), allocatable, intent(out), optional :: tlats
    integer :: j, j3, j4, j9, st, e, jjj(10)
    logical :: stored
    character(len=MSG_LEN) :: msg
    character(len=:), allocatable :: name, text
    real(dp), allocatable :: depth(:)
    real(dp) :: parc(12)

    do j = 1, n4
      if (rare .and. allocated(ex%fine_end)) then
        if (ex%fine_end(1, j) > 0.5_dp) then
          j3 = ec%j3(j)
          j4 = ec%j4(j)
          j9 = 2*j4 - j3
          stored = any(ex%fine_win(3, 1:ex%nfine) == j)
          if (d%prt_open) then
            call prt_fine_snapshot(d%u, d%ncase, d%p%id(5), j, nint(ex%fine_end(4, j)), j3, j4, &
                                   j9, ec%fs%nf, stored)
            call prt_fine_end(d%u, j, j9 + 1, ec%fs%jlow, ex%fine_end(2, j), ex%fine_end(3, j))
          end if
        end if
      end if
      if (j == nlad .and. allocated(ex%tout)) then
        name = run_stem(d)//'tout'//trim(d%p%tout_stem)//'c'//two_digits(d%ncase)//'.bin5'
        call bin5_write_f8(name, [n2], ex%tout, KRC_VERSION//' TLATS output of TOUT', st, msg, &
                           date=d%date_block(1:d%date_len))
        if (present(tlats)) then
          call wrote(d, 'TLATS', 'type-16', name, st, msg, quiet=.true.)
          tlats = file_wrote_text('TLATS', name, st)
        else
          call wrote(d, 'TLATS', 'type-16', name, st, msg)
        end if
      end if
    end do
    if (.not. rare) return
    if (nlat == 0 .or. .not. allocated(ex%fine)) then
      if (d%prt_open .and. nlat == 0) call prt_tfine_none(d%u)
      return
    end if
    ! krc-eclipse 6.3: PARC at write time (the last latitude, the sol length)
    parc = d%p%parc
    parc(11) = d%p%alat(n4)
    parc(12) = d%p%fd(6)
    e = ec%nrow - 2
    allocate (depth(e))
    depth = 0.0_dp
    depth(1:min(e, ec%fs%nf)) = ec%fs%z(1:min(e, ec%fs%nf))
    text = tfine_text(n2, ec%fs%f, ex%fine_win(:, 1:ex%nfine), parc, depth)
    jjj = [3, ec%nrow, ec%mcap, nlat, 0, 0, 0, 5, len(text), 0]
    if (d%prt_open) call prt_tfine_sizes(d%u, d%ncase, jjj)
    name = run_stem(d)//'tfine'//two_digits(d%ncase)//'.bin5'
    call bin5_write_f8(name, [ec%nrow, ec%mcap, nlat], ex%fine, text, st, msg, &
                       date=d%date_block(1:d%date_len))
    call wrote(d, 'TFINE', 'tfine', name, st, msg)
  end subroutine eclipse_outputs

  !> The notice of a bin5 file written (or the error if it was not).
  subroutine wrote(d, what, kind, name, st, msg, quiet)
    type(drive_t), intent(inout) :: d
    character(len=*), intent(in) :: what, kind, name, msg
    integer, intent(in) :: st
    logical, intent(in), optional :: quiet   !< .true.: no print line (the caller prints it)
    if (st /= 0) then
      call say(d, MSG_OUTPUT, 'cannot write the '//kind//' file '//name//': '//trim(msg))
      d%exit_code = 1
    end if
    if (present(quiet)) then
      if (quiet) return
    end if
    if (d%prt_open) call prt_file_wrote(d%u, what, name, st)
  end subroutine wrote

  !> The header text of the tfine file (krc-eclipse 6.3): the version, the
  !> integers N2, F, 0 and J3, J9, latitude index of each stored latitude
  !> ('^'-separated, I10 left-adjusted), PARC(1..12) and the fine centres
  !> ('!' and '`'-separated, G14.6 left-adjusted).
  function tfine_text(n2, f, win, parc, depth) result(text)
    integer, intent(in) :: n2, f, win(:, :)
    real(dp), intent(in) :: parc(:), depth(:)
    character(len=:), allocatable :: text
    character(len=:), allocatable :: ints
    integer :: k, i
    ints = '^^'//int_item(n2)//int_item(f)//int_item(0)
    do k = 1, size(win, 2)
      do i = 1, 3
        ints = ints//int_item(win(i, k))
      end do
    end do
    text = KRC_VERSION//' TFINE output N2,J7P:9='//ints//'^'//'  PARC='//real_list(parc, '!')// &
           '  depths='//real_list(depth, '`')
  contains
    function int_item(v) result(t)
      integer, intent(in) :: v
      character(len=:), allocatable :: t
      character(len=10) :: b
      write (b, '(i10)') v
      t = trim(adjustl(b))//'^'
    end function int_item
    function real_list(x, sep) result(t)
      real(dp), intent(in) :: x(:)
      character(len=1), intent(in) :: sep
      character(len=:), allocatable :: t
      character(len=14) :: b
      integer :: m
      t = sep//sep
      do m = 1, size(x)
        write (b, '(g14.6)') x(m)
        t = t//trim(adjustl(b))//sep
      end do
      t = t//sep
    end function real_list
  end function tfine_text

  !> The run stem of the type-16 and tfine files: the print-file name
  !> without '.prt' (print-extras 7).
  function run_stem(d) result(stem)
    type(drive_t), intent(in) :: d
    character(len=:), allocatable :: stem
    integer :: n
    stem = d%prt
    n = len(stem)
    if (n >= 4) then
      if (stem(n - 3:n) == '.prt') stem = stem(1:n - 4)
    end if
  end function run_stem

  !> NCASE as two digits in file names (01 .. 99; more digits above 99).
  function two_digits(n) result(t)
    integer, intent(in) :: n
    character(len=:), allocatable :: t
    character(len=12) :: b
    if (n >= 0 .and. n <= 99) then
      write (b, '(i2.2)') n
    else
      write (b, '(i0)') n
    end if
    t = trim(b)
  end function two_digits

  !> SDEC, DAU, Ls of a date (formats 4.3) or the fixed inputs without PORB.
  subroutine geometry(p, djul, sdec, dau, subs)
    type(deck_params_t), intent(in) :: p
    real(dp), intent(in) :: djul
    real(dp), intent(out) :: sdec, dau, subs
    if (p%ld(11)) then
      call orbit_geometry(p%porb, djul, sdec, dau, subs)
    else
      sdec = p%fd(43); dau = p%fd(44); subs = p%fd(45)
    end if
  end subroutine geometry

  !> FD(i) as a page heading shows it (formats 2.2: FD(77) for i > 96).
  pure real(dp) function fd_pick(fd, i)
    real(dp), intent(in) :: fd(NFD)
    integer, intent(in) :: i
    if (i >= 1 .and. i <= NFD) then
      fd_pick = fd(i)
    else
      fd_pick = fd(77)
    end if
  end function fd_pick

  !> Add one case to the type-52 buffer (formats 3.2): prefix, then item m
  !> of season s, latitude j, hour h.  A case whose sizes do not fit the
  !> file's first case, or a failed case, stays all zero.
  subroutine store_case(d, hourly, svals, fd_out, id_out, ok, n24, n4, nsout)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: n24, n4, nsout, id_out(NID)
    real(dp), intent(in) :: hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), fd_out(NFD)
    logical, intent(in) :: ok
    real(dp), allocatable :: tmp(:)
    integer :: ld01(NLD), c0, s, j, m, k, cap

    associate (f52 => d%f52)
      if (f52%ncase >= f52%mase) then
        call say(d, MSG_WARN, d%inp//', case '//itoa(d%ncase)//': the type-52 file holds '// &
                 itoa(f52%mase)//' cases (KOMMON/KASE): this case is not stored')
        return
      end if
      cap = 0
      if (allocated(f52%buf)) cap = size(f52%buf)/f52%kase
      if (f52%ncase + 1 > cap) then
        allocate (tmp(f52%kase*min(f52%mase, max(2*cap, 1))))
        tmp = 0.0_dp
        if (cap > 0) tmp(1:f52%ncase*f52%kase) = f52%buf(1:f52%ncase*f52%kase)
        call move_alloc(tmp, f52%buf)
      end if
      c0 = f52%ncase*f52%kase
      f52%ncase = f52%ncase + 1
      f52%buf(c0 + 1:c0 + f52%kase) = 0.0_dp
      if (.not. ok) return
      if (n24 > f52%n24 .or. n4 > f52%n4 .or. nsout /= f52%nsout) then
        call say(d, MSG_WARN, d%inp//', case '//itoa(d%ncase)//': N24, N4 or N5-JDISK+1 '// &
                 'differ from the first case of '//trim(f52%name)//': the case is stored as zeros')
        return
      end if
      ld01 = 0
      where (d%p%ld) ld01 = 1
      call t52_prefix(fd_out, id_out, ld01, n4, d%p%alat(1:n4), d%p%elev(1:n4), d%p%title, &
                      d%runtime, merge(1, 0, d%p%fd(12) > 1.0_dp), nsout, svals, f52%mm3, &
                      f52%ndx, f52%buf(c0 + 1:c0 + f52%mm3*f52%ndx))
      do s = 1, nsout
        do j = 1, n4
          do m = 1, 7
            k = c0 + f52%mm3*(f52%ndx + s - 1) + (j - 1)*7*f52%n24 + (m - 1)*f52%n24
            f52%buf(k + 1:k + n24) = hourly(:, m, j, s)
          end do
        end do
      end do
    end associate
  end subroutine store_case

  !> Write the open type-52 file (formats 3.2; temporary file + rename by the
  !> C bin5 library) and print its closing lines; at_end: as part of the
  !> end-of-run lines (formats 2.1 item 3).
  subroutine close_t52(d, at_end)
    type(drive_t), intent(inout) :: d
    logical, intent(in) :: at_end
    integer :: st, iret
    character(len=MSG_LEN) :: msg
    character(len=25) :: text
    real(dp) :: t_now

    iret = 0
    text = KRC_VERSION//' file type 52'
    if (d%mode /= DRV_PLAN .and. d%f52%open .and. d%f52%ncase > 0) then
      call bin5_write_f8(d%f52%name, [d%f52%n24, 7, d%f52%n4, d%f52%ndx + d%f52%nsout, &
                         d%f52%ncase], d%f52%buf, text, st, msg, date=d%date_block(1:d%date_len))
      if (st /= 0) then
        call say(d, MSG_OUTPUT, 'cannot write the type-52 file '//trim(d%f52%name)//': '// &
                 trim(msg))
        d%exit_code = 1
        iret = st
      end if
    end if
    if (d%prt_open) then
      if (at_end) then
        call cpu_time(t_now)
        if (d%mode == DRV_WRITE) t_now = d%t_run0 + d%total_seconds
        call prt_run_end(d%u, d%f52%open, d%f52%n24, d%f52%n4, d%f52%nsout, d%f52%ncase, iret, &
                         d%f52%name, max(0.0_dp, t_now - d%t_run0 - d%point_seconds), 'none', &
                         closing=ff_closing(d))
      else if (d%f52%open) then
        call prt_t52_close(d%u, d%f52%n24, d%f52%n4, d%f52%nsout, d%f52%ncase, iret, d%f52%name)
      end if
    end if
    d%f52%open = .false.
    d%f52%ncase = 0
    if (allocated(d%f52%buf)) deallocate (d%f52%buf)
  end subroutine close_t52

  ! ------------------------------------------------------------------ far-field files
  ! farfield-climate A: the 8 3 / 8 4 files a case reads (opened once, kept
  ! open for later cases until another 8 3 / 8 4 line) and the 8 21 file a
  ! case writes; their print lines; the preflight refusals of A5.

  !> Start of a run: no file open, no atmosphere integrated yet.
  subroutine ff_reset(d)
    type(drive_t), intent(inout) :: d
    d%ffs_name = ' '
    d%ffa_name = ' '
    d%ffs_report = .false.
    if (allocated(d%ffs)) deallocate (d%ffs)
    if (allocated(d%ffa)) deallocate (d%ffa)
    d%stale_ta4 = 0.0_dp
  end subroutine ff_reset

  !> A1: an 8 3 (8 4) line closes the open surface (atmosphere) file; V of
  !> the 8 3 line (truncated, KFARAC) = 1 prints the season reads.
  subroutine ff_change(d)
    type(drive_t), intent(inout) :: d
    if (d%ch%index == 3) then
      d%ffs_name = ' '
      if (allocated(d%ffs)) deallocate (d%ffs)
      d%ffs_report = int(d%ch%value) == 1
      ! ... and is KFARAC, ID(26) of the stored common (formats 1.6; f1slope.t52)
      d%p%id(26) = int(d%ch%value)
    else
      d%ffa_name = ' '
      if (allocated(d%ffa)) deallocate (d%ffa)
    end if
  end subroutine ff_change

  !> A1 items 1-2 at the start of a case: open the named files that are not
  !> open (DRV_RUN reads the data, DRV_WRITE the header for the print lines,
  !> DRV_PLAN nothing), cap N2 at 6144 in the case that opens the surface
  !> file; A2: the print lines of a case that writes a file (writes).
  subroutine ff_case_start(d, nsout, writes, status, message)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: nsout
    logical, intent(out) :: writes
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: n2, st
    character(len=MSG_LEN) :: msg

    status = KRC_OK
    message = ' '
    if (len_trim(d%p%files(3)) >= 4 .and. len_trim(d%ffs_name) == 0) then
      d%ffs_name = d%p%files(3)
      call ff_open_file(d, d%ffs_name, d%ffs, status, message)
      n2 = d%p%id(2)
      if (n2 > FF_N2_CAP) then
        d%p%id(2) = FF_N2_CAP
        if (d%prt_open) write (d%u, *) 'WARNING: fff use, Reducing N2 from,to', n2, FF_N2_CAP
        call say(d, MSG_WARN, d%inp//', case '//itoa(d%ncase)//': N2 = '//itoa(n2)// &
                 ' lowered to '//itoa(FF_N2_CAP)//' on opening the far-field file (as KRC does)')
      end if
    end if
    if (len_trim(d%p%files(4)) >= 4 .and. len_trim(d%ffa_name) == 0) then
      d%ffa_name = d%p%files(4)
      call ff_open_file(d, d%ffa_name, d%ffa, st, msg)
      if (status == KRC_OK) then
        status = st
        message = msg
      end if
      if (allocated(d%ffa) .and. d%prt_open) then
        if (d%ffa%slope /= 0.0_dp) write (d%u, '(a)') ' Warning: far Tatm sloped'
      end if
    end if
    writes = len_trim(d%p%files(21)) > 0 .and. d%p%id(17) < 0 .and. nsout >= 1
    if (writes .and. d%prt_open) call ff_prt_new(d%u, d%p%files(21), d%p%id(17), &
                                                 merge(4, 8, d%p%id(24) == 4), d%runtime)
  end subroutine ff_case_start

  !> Open one far-field file for reading (A3.1) as the mode needs it.
  subroutine ff_open_file(d, name, f, status, message)
    type(drive_t), intent(inout) :: d
    character(len=*), intent(in) :: name
    type(ff_file_t), allocatable, intent(inout) :: f
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp) :: q

    status = KRC_OK
    message = ' '
    if (allocated(f)) deallocate (f)
    if (d%mode == DRV_PLAN) return
    allocate (f)
    if (d%mode == DRV_RUN) then
      call ff_load(trim(name), f, status, message)
    else
      call ff_header(trim(name), f, status, message)
    end if
    if (status /= KRC_OK) then
      deallocate (f)
      return
    end if
    if (d%prt_open) call ff_prt_open(d%u, name, f%wsize, d%runtime)
    if (f%year_guessed .and. d%prt_open) write (d%u, *) 'WARNING, days/year uncertain. Set to', &
      f%year
    ! A3.2 item 5: reported (KRC: error log) when the seasons do not repeat yearly
    q = f%year/f%deljul
    if (abs(q - real(nint(q), dp)) > 0.01_dp) call say(d, MSG_WARN, d%inp//', case '// &
      itoa(d%ncase)//': far-field file '//trim(name)//': days per year / DELJUL is not within '// &
      '0.01 of an integer: its seasons do not repeat yearly')
  end subroutine ff_open_file

  !> A3.2 item 6: the season-read lines of season j5 (V = 1 on the 8 3 line).
  subroutine ff_season_lines(d, j5)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: j5
    real(dp) :: t, w
    integer :: a, b
    if (.not. d%ffs_report) return
    t = d%p%fd(41) + real(j5 - 1, dp)*d%p%fd(42)
    if (allocated(d%ffs)) then
      call ff_season_weights(d%ffs, t, a, b, w)
      call ff_prt_read(d%u, d%ffs_name, a)
    end if
    if (allocated(d%ffa) .and. d%p%fd(12) > 1.0_dp) then
      call ff_season_weights(d%ffa, t, a, b, w)
      call ff_prt_read(d%u, d%ffa_name, a)
    end if
  end subroutine ff_season_lines

  !> A2 after a writing case: DRV_RUN writes the file (ff_case_write, the
  !> routine the console script calls after computing the case); DRV_WRITE
  !> only prints (the caller wrote it).  written: print the closing line.
  subroutine ff_case_end(d, n24, n4, nsout, hourly, svals, fd_out, id_out, written)
    type(drive_t), intent(inout) :: d
    integer, intent(in) :: n24, n4, nsout, id_out(NID)
    real(dp), intent(in) :: hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), fd_out(NFD)
    logical, intent(out) :: written
    real(dp) :: fdw(NFD)
    integer :: st
    character(len=MSG_LEN) :: msg

    written = d%mode == DRV_WRITE
    if (d%mode /= DRV_RUN) return
    ! the common as the case's type-52 snapshot (store_case: FD 68 of the last LPORB case)
    fdw = fd_out
    if (.not. d%p%ld(11)) fdw(68) = d%yriday
    call ff_case_write(trim(d%p%files(21)), d%ff_layout, fdw, id_out, d%p%ld, n4, &
                       d%p%alat(1:n4), d%p%elev(1:n4), d%p%title, d%runtime, n24, nsout, hourly, &
                       svals, st, msg)
    if (st /= KRC_OK) then
      call say(d, MSG_OUTPUT, 'cannot write the far-field file '//trim(d%p%files(21))//': '// &
               trim(msg))
      d%exit_code = 1
      return
    end if
    written = .true.
  end subroutine ff_case_end

  !> A1: the lines of the files open at the end of the run (units 13, 14).
  function ff_closing(d) result(lines)
    type(drive_t), intent(in) :: d
    character(len=200), allocatable :: lines(:)
    allocate (lines(0))
    if (len_trim(d%ffs_name) > 0 .and. allocated(d%ffs)) &
      lines = [lines, ff_closed_text(d%ffs_name, 13, d%ffs%nkind)]
    if (len_trim(d%ffa_name) > 0 .and. allocated(d%ffa)) &
      lines = [lines, ff_closed_text(d%ffa_name, 14, d%ffa%nkind)]
  end function ff_closing

  !> Preflight of one case's far-field files (farfield-climate A1, A5): the
  !> files it reads must exist or be written by an earlier case of the deck
  !> and fit the case (ff_case_check, the core's own checks: sizes,
  !> latitudes, N2/N24 in 2..32, T_a available); N2 is capped at 6144 in the
  !> case that opens the surface file (pp, pc: as the walk will do) and
  !> refused above it in later cases; a file to write must not exist.
  subroutine ff_preflight(d, pp, pc, icase, line, nsout, fp, status, message)
    type(drive_t), intent(in) :: d
    type(deck_params_t), intent(inout) :: pp, pc
    integer, intent(in) :: icase, line, nsout
    type(ff_pre_t), intent(inout) :: fp
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    type(ff_file_t), allocatable :: hs, ha
    type(ff_file_t) :: w
    character(len=TEXT_LEN) :: sname, aname, oname
    character(len=:), allocatable :: c
    character(len=MSG_LEN) :: msg
    integer :: st, n4
    logical :: exists

    status = 0
    message = ' '
    if (.not. allocated(fp%wname)) allocate (fp%wname(0), fp%wf(0))
    c = d%inp//', line '//itoa(line)//', column 1: case '//itoa(icase)//': '
    sname = pc%files(3)
    aname = pc%files(4)
    n4 = pc%id(4)
    if (len_trim(sname) > 0) then
      if (sname /= fp%s_open) then
        fp%s_open = sname
        if (pc%id(2) > FF_N2_CAP) then
          pc%id(2) = FF_N2_CAP
          pp%id(2) = FF_N2_CAP
        end if
      else if (pc%id(2) > FF_N2_CAP) then
        status = 2
        message = c//'N2 = '//itoa(pc%id(2))//' is above the far-field step cap '// &
                  itoa(FF_N2_CAP)//' applied only in the case that opens '// &
                  quote(trim(sname))//' (later cases overrun KRC''s step arrays, A5 bug 7): '// &
                  'set N2 <= '//itoa(FF_N2_CAP)//' or repeat the 8 3 line before this case'
        return
      end if
      call ff_pre_header(d, fp, sname, '8 3', hs, status, message)
      if (status /= 0) then
        message = c//trim(message)
        return
      end if
    end if
    if (len_trim(aname) > 0) then
      fp%a_open = aname
      if (len_trim(sname) == 0) then
        status = 2
        message = c//'a far-field atmosphere file (8 4) '//quote(trim(aname))//' is read only '// &
                  'with a far-field surface file (8 3): give both, or turn 8 4 off (8 4 0 ''off'')'
        return
      end if
      call ff_pre_header(d, fp, aname, '8 4', ha, status, message)
      if (status /= 0) then
        message = c//trim(message)
        return
      end if
    end if
    if (allocated(hs)) then
      call ff_case_check(pc%fd, pc%id, n4, pc%alat(1:n4), hs, ha, st, msg)
      if (st /= KRC_OK) then
        status = 2
        message = c//trim(msg)
        return
      end if
    end if
    if (len_trim(pc%files(21)) == 0 .or. pc%id(17) >= 0) return
    oname = pc%files(21)
    if (nsout < 1) then
      status = 2
      message = c//'the far-field file '//quote(trim(oname))//' (8 21) stores the seasons '// &
                'JDISK..N5, but N5 = '//itoa(pc%id(5))//' < JDISK = '//itoa(pc%id(12))// &
                ': raise N5 or lower JDISK'
      return
    end if
    if (any(fp%wname == oname)) then
      status = 2
      message = c//'the far-field file '//quote(trim(oname))//' (8 21) is written by an '// &
                'earlier case already (KRC never overwrites one): name another file'
      return
    end if
    if (d%check_outputs) then
      inquire (file=trim(oname), exist=exists)
      if (exists) then
        status = 2
        message = c//'the far-field file '//quote(trim(oname))//' (8 21) exists already '// &
                  '(KRC stops: it never overwrites one): remove it or name another file'
        return
      end if
      if (.not. folder_exists(oname)) then
        status = 2
        message = c//'cannot write the far-field file '//quote(trim(oname))//' (8 21): its '// &
                  'folder does not exist (KRC names it relative to the current directory)'
        return
      end if
    end if
    ! the header a later reader of this file will see (A2)
    w%nkind = min(3, -pc%id(17))
    w%wsize = merge(4, 8, pc%id(24) == 4)
    w%n24 = pc%id(6)
    w%n4 = n4
    w%ns = nsout
    w%emis = pc%fd(2)
    w%slope = pc%fd(23)
    w%deljul = pc%fd(42)
    w%year = max(pc%fd(68), pc%fd(42))
    w%lat(1:n4) = pc%alat(1:n4)
    fp%wname = [fp%wname, oname]
    fp%wf = [fp%wf, w]
  end subroutine ff_preflight

  !> The header of a file a case reads: of an earlier writing case of the
  !> deck, or from the disk; none (not checked) when the file does not exist
  !> in a plan only.
  subroutine ff_pre_header(d, fp, name, what, f, status, message)
    type(drive_t), intent(in) :: d
    type(ff_pre_t), intent(in) :: fp
    character(len=*), intent(in) :: name, what
    type(ff_file_t), allocatable, intent(out) :: f
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: k, st
    logical :: exists

    status = 0
    message = ' '
    do k = size(fp%wname), 1, -1
      if (fp%wname(k) == name) then
        f = fp%wf(k)
        return
      end if
    end do
    inquire (file=trim(name), exist=exists)
    if (.not. exists) then
      if (.not. d%check_outputs) return
      status = 2
      message = 'the far-field file '//quote(trim(name))//' ('//what//') does not exist and '// &
                'no earlier case of the deck writes it (8 21): run the flat case first (KRC '// &
                'names the file relative to the current directory)'
      return
    end if
    allocate (f)
    call ff_header(trim(name), f, st, message)
    if (st /= KRC_OK) then
      status = 2
      deallocate (f)
    end if
  end subroutine ff_pre_header

end module krc_driver

!> The legacy `krc` program: deck in -> print file + type-52 file out
!> (../shared/spec/krc-formats.md sections 1-3).
!>
!> Dialogue (formats 1.1): standard input gives the input stem (default
!> 'krc'; '.inp' appended when the name has no extension), then the print
!> stem ('/' = the input stem; '.prt' appended likewise).
!>
!> The whole deck is read once before anything runs: a deck error, or a
!> case asking for what this model lacks (one-point mode), or cases of one type-52
!> file with different N24, N4 or N5-JDISK+1, stop the program with a message on stderr and a
!> nonzero exit status, and no output file is written.  Then the cases run
!> in order through krc_season::case_run, with KRC's carry-over between
!> cases (the N3 lowered by the core stays, physics 5.3 item 17).  The
!> type-52 file is kept in memory and written (temporary file + rename, by
!> the C bin5 library) at the end of the run or when its name changes.
!>
!> Cases with an option that changes the numbers but is not implemented
!> (eclipses, planetary flux, far-field files, the climate opacity file,
!> mid-case change lists) are not computed: their slot of the type-52 file stays all
!> zero, KRC's mark of a failed case.  Options that only add outputs
!> (type-16 output, direct-access files) are skipped with a warning.
!>
!> Exit status (the same as the Python `krc` console script): 0 ok; 1 a case
!> failed (the other cases were still run and written); 2 deck, file or
!> usage error (nothing written); 3 an option not implemented.
program krc
  use, intrinsic :: iso_fortran_env, only: error_unit, input_unit
  use, intrinsic :: iso_c_binding, only: c_int
  use krc_constants, only: dp, NFD, NID, NLD, MSG_LEN, KRC_OK
  use krc_deck, only: deck_params_t, deck_reader_t, deck_change_t, deck_open, deck_close, &
                      deck_header, deck_next, deck_checks, deck_folder, DK_CHANGE, &
                      DK_CHANGE_ENDS, DK_CASE, DK_RUN_END, DK_EOF, TEXT_LEN, itoa, &
                      read_season_table
  use krc_season, only: case_run, lowered_n3, check_table, NSEASON_VALS
  use krc_orbit, only: orbit_geometry
  use krc_t52, only: t52_sizes, t52_prefix
  use krc_prt, only: prt_debug, prt_banner, prt_change, prt_case_head, prt_layers, prt_t52_open, &
                     prt_separator, prt_lp5, prt_fatal, prt_case_end, prt_t52_close, prt_run_end, &
                     KRC_VERSION, KOMMON
  use krc_bin5, only: bin5_write_f8
  implicit none

  interface
    subroutine c_exit(code) bind(C, name='exit')
      import :: c_int
      integer(c_int), value :: code
    end subroutine c_exit
  end interface

  !> The type-52 file being filled (formats 3.2).
  type :: t52_t
    logical :: open = .false.
    character(len=TEXT_LEN) :: name = ' '
    integer :: n24 = 0, n4 = 0, nsout = 0, mm3 = 0, ndx = 0, kase = 0, mase = 0, ncase = 0
    real(dp), allocatable :: buf(:)
  end type t52_t

  character(len=:), allocatable :: inp, prt, base
  character(len=20) :: runtime
  type(deck_reader_t) :: r
  type(deck_params_t) :: p
  type(deck_change_t) :: ch
  type(t52_t) :: f52
  integer :: u, kind, status, nstarted, ncase, nrun, page, nchanges, exit_code
  character(len=MSG_LEN) :: message
  real(dp) :: t_run0, t_now
  logical :: first_case, prt_open

  prt_open = .false.

  call dialogue(inp, prt)
  base = deck_folder(inp)
  runtime = run_time()
  call cpu_time(t_run0)

  call preflight()

  open (newunit=u, file=prt, status='replace', action='write', form='formatted', iostat=status)
  if (status /= 0) call die(2, 'cannot open the print file '//prt)
  prt_open = .true.
  call deck_open(r, inp, base, status, message)
  if (status /= KRC_OK) call die(2, message)
  call deck_header(r, p, status, message)
  if (status /= KRC_OK) call die(2, message)
  if (p%kdb /= 0) call prt_debug(u, p%idb)

  nstarted = 0
  ncase = 0
  nrun = 0
  page = 0
  exit_code = 0
  first_case = .true.
  run: do
    call prt_banner(u, nstarted)
    nchanges = 0
    list: do
      call deck_next(r, p, ch, kind, status, message)
      if (status /= KRC_OK) call die(2, message)
      select case (kind)
      case (DK_CHANGE, DK_CHANGE_ENDS)
        nchanges = nchanges + 1
        call prt_change(u, ch%t, ch%index, ch%value, ch%text, ch%raw, ch%applied, ch%vals, &
                        ch%nvals)
        if (len_trim(ch%note) > 0) call warn(trim(inp)//': '//trim(ch%note))
        ! formats 1.9.3: '8 5' (and type 9) write any open type-52 file now
        if ((ch%t == 8 .and. ch%index == 5) .or. ch%t == 9) call close_t52(.false.)
        if (kind == DK_CHANGE_ENDS) then
          call run_case()
          exit list
        end if
      case (DK_CASE)
        call run_case()
        exit list
      case default
        if (kind == DK_EOF .and. nchanges > 0) call warn(inp//': end of file after '// &
          itoa(nchanges)//' change line(s) without a terminating 0/: that case is not run')
        exit run
      end select
    end do list
  end do run
  call deck_close(r)

  call close_t52(.true.)
  close (u)
  deallocate (inp, prt, base)     ! (a clean valgrind report)
  if (exit_code /= 0) call c_exit(int(exit_code, c_int))

contains

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

  subroutine warn(text)
    character(len=*), intent(in) :: text
    write (error_unit, '(a)') 'krc: warning: '//trim(text)
  end subroutine warn

  !> Message on stderr and exit; no type-52 file is written.
  subroutine die(code, text)
    integer, intent(in) :: code
    character(len=*), intent(in) :: text
    write (error_unit, '(a)') 'krc: error: '//trim(text)
    flush (error_unit)
    if (prt_open) close (u)
    call c_exit(int(code, c_int))
  end subroutine die

  !> Read the whole deck once: deck errors and cases this model cannot
  !> run stop the program before any output exists.
  subroutine preflight()
    type(deck_reader_t) :: rr
    type(deck_params_t) :: pp
    type(deck_change_t) :: cc
    integer :: k, kt, st, icase, list_line, nsout, sizes(3), nmsg, ntab
    real(dp), allocatable :: tab(:, :)
    character(len=MSG_LEN) :: msg, msgs(10)
    type(deck_params_t) :: pc
    character(len=TEXT_LEN) :: fname
    logical :: new_file

    call deck_open(rr, inp, base, st, msg)
    if (st /= KRC_OK) call die(2, msg)
    call deck_header(rr, pp, st, msg)
    if (st /= KRC_OK) call die(2, msg)
    icase = 0
    list_line = 0
    new_file = .true.
    fname = ' '
    sizes = 0
    do
      call deck_next(rr, pp, cc, k, st, msg)
      if (st /= KRC_OK) call die(2, msg)
      if (k == DK_RUN_END .or. k == DK_EOF) exit
      if (list_line == 0) list_line = rr%line
      if (k == DK_CHANGE) then
        if ((cc%t == 8 .and. cc%index == 5) .or. cc%t == 9) new_file = .true.
        cycle
      end if
      if ((cc%t == 8 .and. cc%index == 5) .or. cc%t == 9) new_file = .true.
      icase = icase + 1
      if (cc%t == 10 .or. cc%t == 11) call die(3, inp//', line '//itoa(rr%line)//': change '// &
        'type '//itoa(cc%t)//' (one-point mode, formats 1.11) is not implemented yet')
      ! Formats 3.2: all cases of one type-52 file share N24, N4 and NSOUT
      ! (after KRC's input resets, formats 1.10, as the case will run).
      pc = pp
      call deck_checks(pc, msgs, nmsg)
      nsout = max(0, pc%id(5) - pc%id(12) + 1)
      if (len_trim(pc%files(5)) >= 4 .and. nsout >= 1) then
        if (new_file .or. pc%files(5) /= fname) then
          fname = pc%files(5)
          sizes = [pc%id(6), pc%id(4), nsout]
          new_file = .false.
          if (.not. folder_exists(fname)) call die(2, inp//', case '//itoa(icase)// &
            ': the folder of the type-52 file '//trim(fname)//' does not exist')
        else if (any(sizes /= [pc%id(6), pc%id(4), nsout])) then
          call die(2, inp//', case '//itoa(icase)//': N24, N4 or N5-JDISK+1 differ from the '// &
            'first case written to '//trim(fname)//'; start a new type-52 file (change line 8 5)')
        end if
      end if
      ! Seasonal tables (8 22, 8 23) must be readable and valid before
      ! anything runs (formats 1.9.3: a table that cannot be read ends the run).
      do kt = 22, 23
        if (len_trim(pp%files(kt)) > 0) then
          call read_season_table(beside_deck(pp%files(kt)), tab, ntab, st, msg)
          if (st == KRC_OK) then
            if (kt == 22) call check_table(tab, 'albedo', 0.0_dp, 1.0_dp, st, msg)
            if (kt == 23) call check_table(tab, 'opacity', 0.0_dp, huge(1.0_dp), st, msg)
          end if
          if (st /= KRC_OK) call die(2, inp//', case '//itoa(icase)//': '//trim(msg))
        end if
      end do
      list_line = 0
    end do
    call deck_close(rr)
  end subroutine preflight

  !> Options in effect that the core does not implement.  Returns a reason
  !> when the case cannot be computed as KRC would (the case is then not
  !> computed); options that only add outputs give a warning.
  function unsupported_reason() result(why)
    character(len=:), allocatable :: why
    character(len=:), allocatable :: c
    c = inp//', case '//itoa(ncase)//': '
    why = ''
    if (p%nlad >= 1) call warn(c//'the type-16 high-resolution output is not written')
    if (len_trim(p%files(21)) > 0) call warn(c//'the direct-access output (8 21) is not written')
    if (p%parc(1) > 0.0_dp) call add_reason(why, 'eclipses (change type 14)')
    if (p%parw(1) > 0.0_dp) call add_reason(why, 'planetary fluxes (change type 15)')
    if (len_trim(p%files(3)) > 0 .or. len_trim(p%files(4)) > 0) call add_reason(why, 'far-field files (8 3, 8 4)')
    if (len_trim(p%files(24)) > 0) call add_reason(why, 'the climate opacity file (8 24)')
    if (p%ld(13) .or. (p%id(13) >= 1 .and. p%id(13) <= p%id(5))) &
      call add_reason(why, 'mid-case change lists (LSC, IDOWN)')
  end function unsupported_reason

  !> Read the seasonal tables of the case (files relative to the deck's
  !> folder, like the zone table); a table that cannot be read makes the case
  !> fail with the reason in why.
  subroutine season_tables(alb_tab, tau_tab, why)
    real(dp), allocatable, intent(inout) :: alb_tab(:, :), tau_tab(:, :)
    character(len=:), allocatable, intent(inout) :: why
    integer :: n, st
    character(len=MSG_LEN) :: msg
    if (len_trim(p%files(22)) > 0) then
      call read_season_table(beside_deck(p%files(22)), alb_tab, n, st, msg)
      if (st /= KRC_OK) call add_reason(why, 'the albedo table: '//trim(msg))
    end if
    if (len_trim(p%files(23)) > 0) then
      call read_season_table(beside_deck(p%files(23)), tau_tab, n, st, msg)
      if (st /= KRC_OK) call add_reason(why, 'the opacity table: '//trim(msg))
    end if
  end subroutine season_tables

  !> A file named in the deck, relative to the deck's folder (as zone tables).
  function beside_deck(name) result(path)
    character(len=*), intent(in) :: name
    character(len=:), allocatable :: path
    path = trim(name)
    if (path(1:1) /= '/' .and. len(base) > 0) path = base//'/'//path
  end function beside_deck

  !> N3 as the core lowers it at the start of a case (physics 5.3), for the
  !> cases after one that was not computed or failed.
  subroutine lower_n3()
    p%id(3) = lowered_n3(p%id(3), p%id(5), p%fd(42), p%fd(6))
  end subroutine lower_n3

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
  !> the core, the print tables and the timing lines (formats 2.1).
  subroutine run_case()
    character(len=MSG_LEN) :: msgs(10), msg, msg2
    integer :: nmsg, i, n4, n24, nsout, st, st2, nzone, j5, is
    real(dp), allocatable :: hourly(:, :, :, :), svals(:, :), layers(:, :, :, :), zone(:, :)
    real(dp), allocatable :: alb_tab(:, :), tau_tab(:, :)
    real(dp) :: fd_out(NFD), t0, t1, cst(9), sdec, dau, subs, djul
    integer :: id_out(NID), ndays(37)
    character(len=TEXT_LEN) :: save
    character(len=:), allocatable :: skip

    ncase = ncase + 1
    nstarted = nstarted + 1
    call deck_checks(p, msgs, nmsg)
    do i = 1, nmsg
      call warn(inp//', case '//itoa(ncase)//': KRC input check: '//trim(msgs(i)))
    end do
    skip = unsupported_reason()
    n4 = p%id(4)
    n24 = p%id(6)
    nsout = max(0, p%id(5) - p%id(12) + 1)
    p%id(36) = ncase
    save = 'no'
    if (len_trim(p%files(5)) >= 4) save = p%files(5)
    nzone = 0
    if (p%ld(14) .and. allocated(p%zone)) nzone = p%nzone
    if (nzone > 0) then
      zone = p%zone
    else
      allocate (zone(4, 1))
      zone = 0.0_dp
    end if

    if (first_case .or. (p%ld(2) .and. nchanges > 0)) then
      call prt_case_head(u, p%title, nrun, ncase, runtime, page, inp, prt, save, p%fd, p%id, &
                         p%ld, n4, p%alat(1:n4), p%elev(1:n4))
      call prt_layers(u, p%fd, p%id, p%ld, p%porb, nzone, zone, p%parc(1), p%parw(1), st, msg)
      if (st /= KRC_OK) write (u, '(a,a)') ' Layer table: ', trim(msg)
    end if
    first_case = .false.

    ! Formats 3.2: a type-52 file for names of >= 4 characters and N5 >= JDISK.
    if (len_trim(p%files(5)) >= 4 .and. nsout >= 1 .and. .not. f52%open) then
      nrun = nrun + 1
      p%id(11) = nrun
      f52%open = .true.
      f52%name = p%files(5)
      f52%n24 = n24
      f52%n4 = n4
      f52%nsout = nsout
      call t52_sizes(n24, n4, nsout, f52%mm3, f52%ndx, f52%kase)
      f52%mase = KOMMON/f52%kase
      f52%ncase = 0
      call prt_t52_open(u, n24, n4, nsout)
    end if
    call prt_separator(u, nrun, ncase)

    allocate (hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), layers(n24, 0, n4, nsout))
    ! Physics 11: the seasonal albedo / opacity tables named by 8 22 / 8 23.
    allocate (alb_tab(2, 0), tau_tab(2, 0))
    if (len(skip) == 0) call season_tables(alb_tab, tau_tab, skip)
    call cpu_time(t0)
    if (len(skip) > 0) then
      ! Not computed: the numbers would not be KRC's.  The slot stays zero.
      write (error_unit, '(a)') 'krc: error: '//inp//', case '//itoa(ncase)//': '//skip// &
        ' not implemented: the case is not computed (its type-52 slot stays zero)'
      if (exit_code == 0) exit_code = 3
      call lower_n3()
      hourly = 0.0_dp
      svals = 0.0_dp
      fd_out = p%fd
      id_out = p%id
      st = -1
      call cpu_time(t1)
    else
      call case_run(p%fd, p%id, p%ld, n4, p%alat(1:n4), p%elev(1:n4), p%porb, nzone, zone, n24, &
                    nsout, 0, alb_tab, tau_tab, hourly, svals, layers, fd_out, id_out, st, msg)
      call cpu_time(t1)
    end if
    if (st == -1) then
      continue
    else if (st /= KRC_OK) then
      call prt_fatal(u, st)
      write (error_unit, '(a)') 'krc: error: '//inp//', case '//itoa(ncase)//': '//trim(msg)
      exit_code = 1
      hourly = 0.0_dp
      ! formats 2.1: after an error the inputs and the layer table are echoed again
      call prt_case_head(u, p%title, nrun, ncase, runtime, page, inp, prt, save, p%fd, p%id, &
                         p%ld, n4, p%alat(1:n4), p%elev(1:n4))
      call prt_layers(u, p%fd, p%id, p%ld, p%porb, nzone, zone, p%parc(1), p%parw(1), st2, msg2)
      call lower_n3()
    else
      ! physics 5.3 item 17: the N3 lowered by the core stays for later cases
      p%id(3) = id_out(3)
    end if
    if (f52%open .and. len_trim(p%files(5)) >= 4 .and. nsout >= 1) then
      call store_case(hourly, svals, fd_out, id_out, st == KRC_OK, n24, n4, nsout)
    end if

    if (st == KRC_OK .and. p%ld(5)) then
      do is = 1, nsout
        j5 = p%id(12) + is - 1
        djul = p%fd(41) + real(j5 - 1, dp)*p%fd(42)
        call geometry(djul, sdec, dau, subs)
        ndays(1:n4) = nint(hourly(1, 6, :, is))
        cst = [p%fd(1), p%fd(2), p%fd(3), sdec, dau, subs, djul, fd_pick(fd_out, p%id(14)), &
               fd_pick(fd_out, p%id(15))]
        call prt_lp5(u, p%title, nrun, ncase, runtime, page, cst, j5, n24, n4, p%alat(1:n4), &
                     hourly(:, 1, :, is), hourly(2, 6, :, is), ndays(1:n4))
      end do
    end if

    ! Formats 2.4: later echoes show the last season's SDEC, DAU, Ls.
    if (st == KRC_OK .and. p%ld(11)) then
      call geometry(p%fd(41) + real(p%id(5) - 1, dp)*p%fd(42), p%fd(43), p%fd(44), p%fd(45))
    end if
    ! Eclipse words 11-12 as KRC leaves them (current latitude, sol length).
    if (p%parc(1) > 0.0_dp .or. p%parw(1) > 0.0_dp) p%parc(11) = p%alat(n4)
    p%parc(12) = p%fd(6)
    call prt_case_end(u, t1 - t0, p%id(5), p%id(5), ncase, [t1 - t0, t1 - t0, 0.0_dp])
  end subroutine run_case

  !> SDEC, DAU, Ls of a date (formats 4.3) or the fixed inputs without PORB.
  subroutine geometry(djul, sdec, dau, subs)
    real(dp), intent(in) :: djul
    real(dp), intent(out) :: sdec, dau, subs
    if (p%ld(11)) then
      call orbit_geometry(p%porb, djul, sdec, dau, subs)
    else
      sdec = p%fd(43); dau = p%fd(44); subs = p%fd(45)
    end if
  end subroutine geometry

  !> FD(i) shown on LP5 headings (formats 1.6 I14/I15: > 96 shows FD(77)).
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
  subroutine store_case(hourly, svals, fd_out, id_out, ok, n24, n4, nsout)
    integer, intent(in) :: n24, n4, nsout, id_out(NID)
    real(dp), intent(in) :: hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), fd_out(NFD)
    logical, intent(in) :: ok
    real(dp), allocatable :: tmp(:)
    integer :: ld01(NLD), c0, s, j, m, k, cap

    if (f52%ncase >= f52%mase) then
      call warn(inp//', case '//itoa(ncase)//': the type-52 file holds '//itoa(f52%mase)// &
                ' cases (KOMMON/KASE): this case is not stored')
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
      call warn(inp//', case '//itoa(ncase)//': N24, N4 or N5-JDISK+1 differ from the first '// &
                'case of '//trim(f52%name)//': the case is stored as zeros')
      return
    end if
    ld01 = 0
    where (p%ld) ld01 = 1
    call t52_prefix(fd_out, id_out, ld01, n4, p%alat(1:n4), p%elev(1:n4), p%title, runtime, &
                    merge(1, 0, p%fd(12) > 1.0_dp), &
                    nsout, svals, f52%mm3, f52%ndx, f52%buf(c0 + 1:c0 + f52%mm3*f52%ndx))
    do s = 1, nsout
      do j = 1, n4
        do m = 1, 7
          k = c0 + f52%mm3*(f52%ndx + s - 1) + (j - 1)*7*f52%n24 + (m - 1)*f52%n24
          f52%buf(k + 1:k + n24) = hourly(:, m, j, s)
        end do
      end do
    end do
  end subroutine store_case

  !> Write the open type-52 file (formats 3.2) and print its closing lines;
  !> at_end: as part of the end-of-run lines (formats 2.1 item 3).
  subroutine close_t52(at_end)
    logical, intent(in) :: at_end
    integer :: st, iret
    character(len=MSG_LEN) :: msg
    character(len=25) :: text

    iret = 0
    text = KRC_VERSION//' file type 52'
    if (f52%open .and. f52%ncase > 0) then
      call bin5_write_f8(f52%name, [f52%n24, 7, f52%n4, f52%ndx + f52%nsout, f52%ncase], &
                         f52%buf, text, st, msg)
      if (st /= 0) then
        write (error_unit, '(a)') 'krc: error: cannot write the type-52 file '// &
          trim(f52%name)//': '//trim(msg)
        exit_code = 1
        iret = st
      end if
    end if
    if (at_end) then
      call cpu_time(t_now)
      call prt_run_end(u, f52%open, f52%n24, f52%n4, f52%nsout, f52%ncase, iret, f52%name, &
                       t_now - t_run0, 'none')
    else if (f52%open) then
      call prt_t52_close(u, f52%n24, f52%n4, f52%nsout, f52%ncase, iret, f52%name)
    end if
    f52%open = .false.
    f52%ncase = 0
    if (allocated(f52%buf)) deallocate (f52%buf)
  end subroutine close_t52

end program krc

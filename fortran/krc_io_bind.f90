!> The f2py surface of the deck reader, the case driver and the print-file
!> writer (extension legacy_wrap._krcio, signatures in _krcio.pyf): plain
!> external subroutines with explicit-shape arrays, 0/1 integer flags for
!> logicals, status (0 = ok) and a message; none stops.
!> * krc_plan / krc_write: the case driver of the legacy program
!>   (krc_driver.f90) for the console script: plan a run (refusals, every
!>   case's core inputs), then write the print file and the type-52 files
!>   from the results it computed;
!> * krc_deck_events, krc_fixed_real, krc_read_table: the deck reader for
!>   legacy_wrap.krc.read_deck (no second parser in Python);
!> * krc_read_deck: the cases' parameter arrays only;
!> * krc_prt_*: one section of the print file each (append, close).
!> Reentrant: no SAVE, no COMMON, every unit opened per call.

!> Read a deck (formats section 1): per case (up to maxcase) the parameter
!> arrays after its change lines, before KRC's resets of formats 1.10.
!> Zone tables are looked up in the deck's folder.
subroutine krc_read_deck(path, maxcase, fd, id, ld, alat, elev, porb, titles, ncase, status, &
                         message)
  use krc_constants, only: dp, NFD, NID, NLD, MAXN4, NPORB, MSG_LEN, KRC_OK
  use krc_deck, only: deck_params_t, deck_reader_t, deck_change_t, deck_open, deck_close, &
                      deck_header, deck_next, deck_folder, DK_CHANGE, DK_CHANGE_ENDS, DK_CASE, &
                      DECK_E_LIMIT
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: maxcase
  real(dp), intent(out) :: fd(NFD, maxcase), alat(MAXN4, maxcase), elev(MAXN4, maxcase)
  real(dp), intent(out) :: porb(NPORB, maxcase)
  integer, intent(out) :: id(NID, maxcase), ld(NLD, maxcase)
  character(len=84), intent(out) :: titles(maxcase)
  integer, intent(out) :: ncase, status
  character(len=MSG_LEN), intent(out) :: message
  type(deck_reader_t) :: r
  type(deck_params_t) :: p
  type(deck_change_t) :: ch
  integer :: kind

  fd = 0.0_dp; id = 0; ld = 0; alat = 0.0_dp; elev = 0.0_dp; porb = 0.0_dp
  titles = ' '
  ncase = 0
  call deck_open(r, path, deck_folder(path), status, message)
  if (status /= KRC_OK) return
  call deck_header(r, p, status, message)
  do while (status == KRC_OK)
    call deck_next(r, p, ch, kind, status, message)
    if (status /= KRC_OK .or. kind == DK_CHANGE) cycle
    if (kind /= DK_CASE .and. kind /= DK_CHANGE_ENDS) exit
    if (ncase >= maxcase) then
      status = DECK_E_LIMIT
      write (message, '(a,i0,a)') 'the deck has more than maxcase = ', maxcase, ' cases'
      exit
    end if
    ncase = ncase + 1
    fd(:, ncase) = p%fd
    id(:, ncase) = p%id
    ld(:, ncase) = merge(1, 0, p%ld)
    alat(:, ncase) = p%alat
    elev(:, ncase) = p%elev
    porb(:, ncase) = p%porb
    titles(ncase) = p%title
  end do
  call deck_close(r)
end subroutine krc_read_deck

!> Open path for appending (helper of the krc_prt_* routines).
subroutine krcio_open_append(path, u, status, message)
  use krc_constants, only: MSG_LEN
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(out) :: u, status
  character(len=MSG_LEN), intent(out) :: message
  character(len=MSG_LEN) :: emsg
  message = ' '
  open (newunit=u, file=path, status='unknown', position='append', action='write', &
        form='formatted', iostat=status, iomsg=emsg)
  if (status /= 0) message = 'cannot open the print file '//trim(path)//': '//trim(emsg)
end subroutine krcio_open_append

!> Formats 2.1 item 1.
subroutine krc_prt_debug(path, idb, status, message)
  use krc_constants, only: MSG_LEN
  use krc_prt, only: prt_debug
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: idb(6)
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_debug(u, idb)
  close (u)
end subroutine krc_prt_debug

!> Formats 2.1 item 2.1: banner (nstarted = cases already started) + guide.
subroutine krc_prt_banner(path, nstarted, status, message)
  use krc_constants, only: MSG_LEN
  use krc_prt, only: prt_banner
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: nstarted
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_banner(u, nstarted)
  close (u)
end subroutine krc_prt_banner

!> Formats 2.2: echo of one change line (t = -999: blank line; applied = 0:
!> KRC error 439).  vals(1:nvals): coefficients after a type 12-15 line.
subroutine krc_prt_change(path, t, index, value, text, raw, applied, vals, nvals, status, message)
  use krc_constants, only: dp, MSG_LEN
  use krc_prt, only: prt_change, prt_new_t52
  implicit none
  character(len=*), intent(in) :: path, text, raw
  integer, intent(in) :: t, index, applied, nvals
  real(dp), intent(in) :: value, vals(12)
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_change(u, t, index, value, text, raw, applied /= 0, vals, min(max(nvals, 0), 12))
  if (t == 8 .and. index == 5 .and. applied /= 0) call prt_new_t52(u, text)
  close (u)
end subroutine krc_prt_change

!> Formats 2.3-2.4: page heading, file lines, parameter echo; page_out = page + 1.
subroutine krc_prt_case_head(path, title, nrun, ncase, runtime, page, input, print, save, fd, id, &
                             ld, n4, alat, elev, page_out, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, MSG_LEN
  use krc_prt, only: prt_case_head
  implicit none
  character(len=*), intent(in) :: path, title, runtime, input, print, save
  integer, intent(in) :: nrun, ncase, page, n4
  real(dp), intent(in) :: fd(NFD), alat(n4), elev(n4)
  integer, intent(in) :: id(NID), ld(NLD)
  integer, intent(out) :: page_out, status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  page_out = page
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_case_head(u, title, nrun, ncase, runtime, page_out, input, print, save, fd, id, &
                     ld /= 0, n4, alat, elev)
  close (u)
end subroutine krc_prt_case_head

!> Formats 2.1 items 2.4-2.5, 2.5.1: eclipse line and layer table.
subroutine krc_prt_layers(path, fd, id, ld, porb, nzone, nzc, zone, parc1, parw1, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, NPORB, MSG_LEN, KRC_E_INPUT
  use krc_prt, only: prt_layers
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: nzone, nzc
  real(dp), intent(in) :: fd(NFD), porb(NPORB), zone(4, nzc), parc1, parw1
  integer, intent(in) :: id(NID), ld(NLD)
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u, st
  if (nzone < 0 .or. nzone > nzc) then
    status = KRC_E_INPUT
    write (message, '(a,i0,a,i0,a)') 'nzone = ', nzone, ' but the zone table has ', nzc, ' rows'
    return
  end if
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_layers(u, fd, id, ld /= 0, porb, nzone, zone(:, 1:nzone), parc1, parw1, st, &
                  message)
  close (u)
  status = st
end subroutine krc_prt_layers

!> Formats 2.1 item 2.6: lines printed when a type-52 file is opened.
subroutine krc_prt_t52_open(path, n24, n4, nsout, status, message)
  use krc_constants, only: MSG_LEN
  use krc_prt, only: prt_t52_open
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: n24, n4, nsout
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_t52_open(u, n24, n4, nsout)
  close (u)
end subroutine krc_prt_t52_open

!> Formats 2.1 item 2.8: the RUN-CASE separator.
subroutine krc_prt_separator(path, nrun, ncase, status, message)
  use krc_constants, only: MSG_LEN
  use krc_prt, only: prt_separator
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: nrun, ncase
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_separator(u, nrun, ncase)
  close (u)
end subroutine krc_prt_separator

!> Formats 2.6 LP5 table of one season; page_out = page + 1.
subroutine krc_prt_lp5(path, title, nrun, ncase, runtime, page, cst, j5, n24, n4, alat, ts, dtm, &
                       ndays, page_out, status, message)
  use krc_constants, only: dp, MSG_LEN
  use krc_prt, only: prt_lp5
  implicit none
  character(len=*), intent(in) :: path, title, runtime
  integer, intent(in) :: nrun, ncase, page, j5, n24, n4, ndays(n4)
  real(dp), intent(in) :: cst(9), alat(n4), ts(n24, n4), dtm(n4)
  integer, intent(out) :: page_out, status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  page_out = page
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_lp5(u, title, nrun, ncase, runtime, page_out, cst, j5, n24, n4, alat, ts, dtm, ndays)
  close (u)
end subroutine krc_prt_lp5

!> Formats 2.1: ' Case had FATAL error= ...'.
subroutine krc_prt_fatal(path, code, status, message)
  use krc_constants, only: MSG_LEN
  use krc_prt, only: prt_fatal
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: code
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_fatal(u, code)
  close (u)
end subroutine krc_prt_fatal

!> Formats 2.1 item 2.10: seconds at the last season and DTIME (total, user, system).
subroutine krc_prt_case_end(path, secs, j5, n5, ncase, times, status, message)
  use krc_constants, only: dp, MSG_LEN
  use krc_prt, only: prt_case_end
  implicit none
  character(len=*), intent(in) :: path
  real(dp), intent(in) :: secs, times(3)
  integer, intent(in) :: j5, n5, ncase
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_case_end(u, secs, j5, n5, ncase, times)
  close (u)
end subroutine krc_prt_case_end

!> Lines printed when a type-52 file is written before the end of the run.
subroutine krc_prt_t52_close(path, n24, n4, nsout, ncase, iret, name, status, message)
  use krc_constants, only: MSG_LEN
  use krc_prt, only: prt_t52_close
  implicit none
  character(len=*), intent(in) :: path, name
  integer, intent(in) :: n24, n4, nsout, ncase, iret
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_t52_close(u, n24, n4, nsout, ncase, iret, name)
  close (u)
end subroutine krc_prt_t52_close

!> Formats 2.1 item 3: end-of-run lines (t52_open = 1: with the closing
!> lines of the type-52 file written at the end).
subroutine krc_prt_run_end(path, t52_open, n24, n4, nsout, ncase, iret, name, total, elog, &
                           status, message)
  use krc_constants, only: dp, MSG_LEN
  use krc_prt, only: prt_run_end
  implicit none
  character(len=*), intent(in) :: path, name, elog
  integer, intent(in) :: t52_open, n24, n4, nsout, ncase, iret
  real(dp), intent(in) :: total
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  integer :: u
  call krcio_open_append(path, u, status, message)
  if (status /= 0) return
  call prt_run_end(u, t52_open /= 0, n24, n4, nsout, ncase, iret, name, total, elog)
  close (u)
end subroutine krc_prt_run_end

!> The case driver (krc_driver), DRV_PLAN: read the deck path as the legacy
!> program does, refuse it as the program would (status 2 or 3 and the
!> message; nothing is computed or written), and give for each case the
!> inputs of the core after KRC's resets and every carry-over between cases.
!> assume_ok(k) = 0: plan as if case k failed (the only carry-over that
!> depends on an outcome is the orbit geometry kept from a case that
!> succeeded).  info(:, k) = N4, N24, NSOUT, skip bits, note bits, NCASE shown,
!> type-52 file number (0: none), deck line of the case.  If the deck has
!> more than maxcase cases or a zone table more than nzc rows, status = 42
!> with ncase and nzmax set: call again with larger arrays.  prt = '': a plan
!> only, the outputs' folders are not checked.  msgs(1:nmsg):
!> the run's warnings (msgkind 1) and errors (2), msgcase the case number.
!> Eclipses (krc-eclipse): eparc(:, k), eparw(:, k) the PARC and PARW the
!> core gets; eplan(:, k) = type-16 latitude NLAD (0: none), then rows,
!> capacity and latitude count of the rare-eclipse records (0: none).
subroutine krc_plan(path, prt, maxcase, nzc, assume_ok, maxmsg, fd, id, ld, alat, elev, porb, &
                    titles, nzone, zone, nalb, alb, ntau, tau, nclim, clim, info, piece, ncase, &
                    nzmax, nmsg, msgs, msgkind, msgcase, eparc, eparw, eplan, status, message, &
                    ff_surf, ff_atm, ff_out)
  use krc_constants, only: dp, sp, NFD, NID, NLD, MAXN4, NPORB, MSG_LEN
  use krc_driver, only: drive_t, drive_deck, DRV_PLAN
  use krc_deck, only: DECK_E_LIMIT
  implicit none
  character(len=*), intent(in) :: path, prt
  integer, intent(in) :: maxcase, nzc, maxmsg, assume_ok(maxcase)
  real(dp), intent(out) :: fd(NFD, maxcase), alat(MAXN4, maxcase), elev(MAXN4, maxcase)
  real(dp), intent(out) :: porb(NPORB, maxcase), zone(4, nzc, maxcase)
  real(dp), intent(out) :: alb(2, 360, maxcase), tau(2, 360, maxcase)
  integer, intent(out) :: id(NID, maxcase), ld(NLD, maxcase), nzone(maxcase), nalb(maxcase)
  !> info(:, k) = N4, N24, NSOUT, skip, notes, label, t52, line, one-point request (0/1)
  integer, intent(out) :: ntau(maxcase), info(9, maxcase), ncase, nzmax, nmsg
  !> piece(:, k) = first and last season of column k, 1 if it continues the
  !> case of column k - 1 (mid-case change lists: a case is planned as one
  !> column per piece, krc-onepoint 8.2; otherwise 1, N5, 0).  assume_ok
  !> counts cases, not columns.
  integer, intent(out) :: piece(3, maxcase)
  !> nclim(k) = 1: the climate opacities clim(:, :, :, k) of the 8 24 file in effect
  integer, intent(out) :: nclim(maxcase)
  real(sp), intent(out) :: clim(72, 36, 2, maxcase)
  character(len=84), intent(out) :: titles(maxcase)
  character(len=MSG_LEN), intent(out) :: msgs(maxmsg), message
  integer, intent(out) :: msgkind(maxmsg), msgcase(maxmsg), status
  !> far-field files of case k (farfield-climate A): read (8 3, 8 4) and
  !> written after it (8 21); blank: none
  character(len=74), intent(out) :: ff_surf(maxcase), ff_atm(maxcase), ff_out(maxcase)
  real(dp), intent(out) :: eparc(12, maxcase), eparw(7, maxcase)
  integer, intent(out) :: eplan(4, maxcase)
  type(drive_t) :: d
  integer :: k, n

  ff_surf = ' '; ff_atm = ' '; ff_out = ' '
  eparc = 0.0_dp; eparw = 0.0_dp; eplan = 0
  fd = 0.0_dp; alat = 0.0_dp; elev = 0.0_dp; porb = 0.0_dp; zone = 0.0_dp; alb = 0.0_dp
  tau = 0.0_dp; id = 0; ld = 0; nzone = 0; nalb = 0; ntau = 0; info = 0; titles = ' '; piece = 0
  msgs = ' '; msgkind = 0; msgcase = 0; nmsg = 0; ncase = 0; nzmax = 0
  nclim = 0; clim = 0.0_sp
  d%mode = DRV_PLAN
  d%inp = trim(path)
  d%prt = trim(prt)
  d%check_outputs = len_trim(prt) > 0
  allocate (d%assume_ok(maxcase))
  d%assume_ok = assume_ok /= 0
  call drive_deck(d, status, message)
  nmsg = min(d%nmsg, maxmsg)
  do k = 1, nmsg
    msgs(k) = d%msgs(k)
    msgkind(k) = d%msg_kind(k)
    msgcase(k) = d%msg_case(k)
  end do
  if (status /= 0) return
  ncase = d%nplan
  do k = 1, ncase
    nzmax = max(nzmax, d%plans(k)%nzone)
  end do
  if (ncase > maxcase .or. nzmax > nzc) then
    status = DECK_E_LIMIT
    write (message, '(a,i0,a,i0,a)') 'the deck has ', ncase, ' cases and zone tables of up to ', &
      nzmax, ' rows: call again with larger arrays'
    return
  end if
  do k = 1, ncase
    associate (q => d%plans(k))
      fd(:, k) = q%fd
      id(:, k) = q%id
      ld(:, k) = merge(1, 0, q%ld)
      alat(:, k) = q%alat
      elev(:, k) = q%elev
      porb(:, k) = q%porb
      titles(k) = q%title
      nzone(k) = q%nzone
      if (q%nzone > 0) zone(:, 1:q%nzone, k) = q%zone(:, 1:q%nzone)
      n = min(size(q%alb, 2), 360)
      nalb(k) = n
      alb(:, 1:n, k) = q%alb(:, 1:n)
      n = min(size(q%tau, 2), 360)
      ntau(k) = n
      tau(:, 1:n, k) = q%tau(:, 1:n)
      info(:, k) = [q%n4, q%n24, q%nsout, q%skip, q%notes, q%label, q%t52, q%line, q%onepoint]
      piece(:, k) = [q%season1, q%season2, q%cont]
      eparc(:, k) = q%parc
      eparw(:, k) = q%parw
      eplan(:, k) = [q%nlad, q%fine_shape]
      if (allocated(q%climate)) then
        nclim(k) = 1
        clim(:, :, :, k) = q%climate
      end if
      ff_surf(k) = q%ff_surf
      ff_atm(k) = q%ff_atm
      ff_out(k) = q%ff_out
    end associate
  end do
end subroutine krc_plan

!> The far-field file of a computed writing case (8 21; krc_plan's ff_out)
!> in layout 0 (compact) or 1 (KRC's), through the routine the legacy
!> program's driver calls (krc_farfield::ff_case_write): fd, ld the case's
!> plan, fd_out, id_out, hourly, svals its results, runtime the run's.
subroutine krc_ff_case_write(path, layout, fd, ld, n4, alat, elev, title, runtime, fd_out, &
                             id_out, n24, nsout, hourly, svals, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, MSG_LEN
  use krc_farfield, only: ff_case_write
  implicit none
  character(len=*), intent(in) :: path, title, runtime
  integer, intent(in) :: layout, n4, n24, nsout, ld(NLD), id_out(NID)
  real(dp), intent(in) :: fd(NFD), alat(n4), elev(n4), fd_out(NFD)
  real(dp), intent(in) :: hourly(n24, 7, n4, nsout), svals(5, nsout)
  integer, intent(out) :: status
  character(len=MSG_LEN), intent(out) :: message
  real(dp) :: fdw(NFD)
  ! as the driver stores the case: FD 68 of the last LPORB case (in the plan)
  fdw = fd_out
  if (ld(11) == 0) fdw(68) = fd(68)
  call ff_case_write(path, layout, fdw, id_out, ld /= 0, n4, alat, elev, title, runtime, n24, &
                     nsout, hourly, svals, status, message)
end subroutine krc_ff_case_write

!> The case driver, DRV_WRITE: the same walk as krc_plan (and as the legacy
!> program), with the results of the cases computed by the caller from the
!> inputs krc_plan gave, writing the print file prt and the type-52 files in
!> the program's order.  Per case k: kstatus (the core's status, 0 ok),
!> kmessage, seconds, dims = N24, N4, NSOUT, the items hourly(hoff(k)+1 ...)
!> (N24*7*N4*NSOUT words) and season values svals(soff(k)+1 ...) (5*NSOUT),
!> fd_out/id_out the core's FD/ID.  date: the bin5 date block of the type-52
!> files ('' = now).  exit_code: the run's exit status (0, 1 or
!> 3); status /= 0: refused as krc_plan would (nothing written).  point(:, k):
!> T_s, T_p of a one-point request (krc_point_case; other cases: ignored).
!> ecl(eoff(k)+1 ...) (eoff(k) < 0: none): the type-16 series and the
!> rare-eclipse records of case k as krc_run_case returned them, packed as
!> ntout, nrow, mcap, nlat, nfine, n4, then tout(ntout), fine(nrow, mcap,
!> nlat), fine_win(3, nlat), fine_end(4, n4) (krc_plan's eplan gives the
!> shapes).
subroutine krc_write(path, prt, runtime, date, ncase, kstatus, kmessage, seconds, total, dims, nh, &
                     hourly, hoff, ns, svals, soff, fd_out, id_out, point, npl, plog, ploff, &
                     plen, ne, ecl, eoff, maxmsg, exit_code, nmsg, msgs, msgkind, msgcase, status, &
                     message)
  use krc_constants, only: dp, NFD, NID, MSG_LEN
  use krc_driver, only: drive_t, drive_deck, DRV_WRITE, case_result_t
  use krc_season, only: NSEASON_VALS
  implicit none
  character(len=*), intent(in) :: path, prt, runtime, date
  integer, intent(in) :: ncase, nh, ns, maxmsg
  integer, intent(in) :: kstatus(ncase), dims(3, ncase), hoff(ncase), soff(ncase)
  integer, intent(in) :: id_out(NID, ncase)
  character(len=MSG_LEN), intent(in) :: kmessage(ncase)
  real(dp), intent(in) :: seconds(ncase), total, hourly(nh), svals(ns), fd_out(NFD, ncase)
  real(dp), intent(in) :: point(2, ncase)
  !> the print logs of the cases: plog(ploff(k)+1 : ploff(k)+plen(k)) (plen 0: none)
  integer, intent(in) :: npl, ploff(ncase), plen(ncase)
  real(dp), intent(in) :: plog(npl)
  integer, intent(in) :: ne, eoff(ncase)
  real(dp), intent(in) :: ecl(ne)
  integer, intent(out) :: exit_code, nmsg, msgkind(maxmsg), msgcase(maxmsg), status
  character(len=MSG_LEN), intent(out) :: msgs(maxmsg), message
  type(drive_t) :: d
  integer :: k, m, n24, n4, nsout

  msgs = ' '; msgkind = 0; msgcase = 0; nmsg = 0; exit_code = 0
  d%mode = DRV_WRITE
  d%inp = trim(path)
  d%prt = trim(prt)
  d%runtime = runtime
  d%date_block = date
  d%date_len = min(len(date), len(d%date_block))
  d%total_seconds = total
  allocate (d%results(ncase))
  do k = 1, ncase
    associate (res => d%results(k))
      res%status = kstatus(k)
      res%message = kmessage(k)
      res%seconds = seconds(k)
      res%fd_out = fd_out(:, k)
      res%id_out = id_out(:, k)
      res%point = point(:, k)
      n24 = dims(1, k); n4 = dims(2, k); nsout = dims(3, k)
      m = n24*7*n4*nsout
      if (kstatus(k) == 0 .and. n24 >= 1 .and. n4 >= 1 .and. nsout >= 0 .and. &
          hoff(k) >= 0 .and. hoff(k) + m <= nh .and. soff(k) >= 0 .and. &
          soff(k) + NSEASON_VALS*nsout <= ns) then
        res%hourly = reshape(hourly(hoff(k) + 1:hoff(k) + m), [n24, 7, n4, nsout])
        res%svals = reshape(svals(soff(k) + 1:soff(k) + NSEASON_VALS*nsout), &
                            [NSEASON_VALS, nsout])
      end if
      if (kstatus(k) == 0 .and. plen(k) > 0 .and. ploff(k) >= 0 .and. &
          ploff(k) + plen(k) <= npl) res%plog = plog(ploff(k) + 1:ploff(k) + plen(k))
      if (kstatus(k) == 0 .and. eoff(k) >= 0) call unpack_eclipse(eoff(k), res)
    end associate
  end do
  call drive_deck(d, status, message)
  exit_code = d%exit_code
  nmsg = min(d%nmsg, maxmsg)
  do k = 1, nmsg
    msgs(k) = d%msgs(k)
    msgkind(k) = d%msg_kind(k)
    msgcase(k) = d%msg_case(k)
  end do
contains

  !> The type-16 series and rare-eclipse records of one case from ecl at
  !> offset e (layout above); sizes that do not fit leave them out.
  subroutine unpack_eclipse(e, res)
    integer, intent(in) :: e
    type(case_result_t), intent(inout) :: res
    integer :: nt, nr, mc, nl, nf, n4e, i
    if (e + 6 > ne) return
    nt = nint(ecl(e + 1)); nr = nint(ecl(e + 2)); mc = nint(ecl(e + 3))
    nl = nint(ecl(e + 4)); nf = nint(ecl(e + 5)); n4e = nint(ecl(e + 6))
    if (min(nt, nr, mc, nl, nf, n4e) < 0) return
    i = e + 6
    if (i + nt + nr*mc*nl + 3*nl + 4*n4e > ne) return
    if (nt > 0) res%tout = ecl(i + 1:i + nt)
    i = i + nt
    if (nl > 0 .and. nr > 0) then
      res%fine = reshape(ecl(i + 1:i + nr*mc*nl), [nr, mc, nl])
      i = i + nr*mc*nl
      res%fine_win = reshape(nint(ecl(i + 1:i + 3*nl)), [3, nl])
      i = i + 3*nl
      res%fine_end = reshape(ecl(i + 1:i + 4*n4e), [4, n4e])
      res%nfine = nf
    end if
  end subroutine unpack_eclipse
end subroutine krc_write

!> One one-point request as krc_plan planned it (info row 9 = 1): the case
!> of krc_run_case with the last sol's step temperatures, and T_s, T_p at
!> the hour FD(84) in point (krc-onepoint 4, 6; krc_onepoint::one_case, the
!> same routine the legacy program calls).
subroutine krc_point_case(fd, id, ld, n4, alat, elev, porb, nzone, nzc, zone, n24, nsout, nalb, &
                          nalc, alb, ntau, ntauc, tau, hourly, svals, fd_out, id_out, point, &
                          status, message)
  use krc_constants, only: dp, NFD, NID, NLD, NPORB, MSG_LEN, KRC_E_INPUT
  use krc_season, only: NSEASON_VALS
  use krc_onepoint, only: one_case
  implicit none
  integer, intent(in) :: n4, nzone, nzc, n24, nsout, nalb, nalc, ntau, ntauc, id(NID), ld(NLD)
  real(dp), intent(in) :: fd(NFD), alat(n4), elev(n4), porb(NPORB), zone(4, nzc)
  real(dp), intent(in) :: alb(2, nalc), tau(2, ntauc)
  real(dp), intent(out) :: hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), fd_out(NFD)
  integer, intent(out) :: id_out(NID), status
  real(dp), intent(out) :: point(2)
  character(len=MSG_LEN), intent(out) :: message
  hourly = 0.0_dp; svals = 0.0_dp; fd_out = fd; id_out = id; point = 0.0_dp
  if (nzone < 0 .or. nzone > nzc .or. nalb < 0 .or. nalb > nalc .or. ntau < 0 .or. &
      ntau > ntauc .or. n24 /= id(6) .or. n4 /= id(4)) then
    status = KRC_E_INPUT
    message = 'krc_point_case: array sizes disagree with N4, N24 or the table rows'
    return
  end if
  call one_case(fd, id, ld /= 0, n4, alat, elev, porb, nzone, zone(:, 1:nzone), n24, nsout, &
                alb(:, 1:nalb), tau(:, 1:ntau), hourly, svals, fd_out, id_out, point, status, &
                message)
end subroutine krc_point_case

!> One piece of a case with mid-case change lists (krc-onepoint 8.2), as
!> krc_plan planned it (piece(:, k) = first season, last season, 1 if the
!> piece continues the previous column): seasons j5a..j5b of the case with
!> these parameters, from the carried state (cj5 = the last season computed,
!> 0 for none; cstate(N1, N4) the predicted T_s and layers, cvec(3, N4) T_a,
!> frost and mean T_a, cscal = global frost, twilight albedo, DJONE), which
!> is updated.  hourly / svals hold only the slots of the piece's seasons;
!> fd_out / id_out are the snapshot when the piece holds season JDISK.
subroutine krc_run_piece(fd, id, ld, n4, alat, elev, porb, nzone, nzc, zone, n24, nsout, nalb, &
                         nalc, alb, ntau, ntauc, tau, j5a, j5b, n1, cj5, cstate, cvec, cscal, &
                         hourly, svals, fd_out, id_out, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, NPORB, MSG_LEN, KRC_E_INPUT
  use krc_season, only: case_run, NSEASON_VALS, season_carry_t
  implicit none
  integer, intent(in) :: n4, nzone, nzc, n24, nsout, nalb, nalc, ntau, ntauc, id(NID), ld(NLD)
  integer, intent(in) :: j5a, j5b, n1
  real(dp), intent(in) :: fd(NFD), alat(n4), elev(n4), porb(NPORB), zone(4, nzc)
  real(dp), intent(in) :: alb(2, nalc), tau(2, ntauc)
  integer, intent(inout) :: cj5
  real(dp), intent(inout) :: cstate(n1, n4), cvec(3, n4), cscal(3)
  real(dp), intent(out) :: hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), fd_out(NFD)
  integer, intent(out) :: id_out(NID), status
  character(len=MSG_LEN), intent(out) :: message
  type(season_carry_t) :: carry
  real(dp), allocatable :: layers(:, :, :, :)
  hourly = 0.0_dp; svals = 0.0_dp; fd_out = fd; id_out = id
  if (nzone < 0 .or. nzone > nzc .or. nalb < 0 .or. nalb > nalc .or. ntau < 0 .or. &
      ntau > ntauc .or. n24 /= id(6) .or. n4 /= id(4) .or. n1 /= id(1)) then
    status = KRC_E_INPUT
    message = 'krc_run_piece: array sizes disagree with N1, N4, N24 or the table rows'
    return
  end if
  carry%j5 = cj5
  if (cj5 > 0) then
    carry%state = cstate
    carry%ta = cvec(1, :)
    carry%frost = cvec(2, :)
    carry%tam = cvec(3, :)
    carry%sumf = cscal(1)
    carry%alb_last = cscal(2)
    carry%djone = cscal(3)
  end if
  allocate (layers(n24, 0, n4, nsout))
  call case_run(fd, id, ld /= 0, n4, alat, elev, porb, nzone, zone(:, 1:nzone), n24, nsout, 0, &
                alb(:, 1:nalb), tau(:, 1:ntau), hourly, svals, layers, fd_out, id_out, status, &
                message, seasons=[j5a, j5b], carry=carry)
  if (status /= 0) return
  cj5 = carry%j5
  cstate = carry%state
  cvec(1, :) = carry%ta
  cvec(2, :) = carry%frost
  cvec(3, :) = carry%tam
  cscal = [carry%sumf, carry%alb_last, carry%djone]
end subroutine krc_run_piece

!> The deck reader (krc_deck), line by line, for legacy_wrap.krc.read_deck:
!> the deck path is read as the legacy program reads it (label: the name in
!> messages; base: the folder of zone tables).  Per event e (one call of
!> deck_next; 1..nev): iev(:, e) = kind (DK_*), change type (-999 blank
!> line), INDEX, applied (0/1), line, last line read (blocks of types
!> 4/5/6/9), numbers read (types 12-15), column of VALUE, column of TEXT,
!> snapshot taken after it (0: none), nvals; value(e), nums(:, e) = vals
!> (types 11-16) or the PORB block (type 6) or KOLD KEEP KDB (type 9),
!> text(e), note(e).  Snapshots s (1..nsnap; 1 = after the fixed blocks,
!> then one per case): the parameter common, the type-8 names in effect,
!> the zone table, PARC, PARW, NLAD, the type-16 stem and the messages of
!> KRC's input resets (deck_checks) the case would get.  ctl = KOLD, KEEP,
!> KDB, IDB(1..6), the line after the fixed blocks.  status 42: more events,
!> snapshots or zone rows than the arrays hold (nev, nsnap, nzmax say how
!> many): call again with larger arrays.  Any other status /= 0: the deck
!> cannot be read; message names file, line and column.
subroutine krc_deck_events(path, label, base, maxev, maxsnap, nzc, iev, value, nums, text, note, &
                           fd, id, ld, alat, elev, porb, titles, files, nzone, zone, parc, parw, &
                           nlad, stems, nchk, chk, ctl, nev, nsnap, nzmax, status, message)
  use krc_constants, only: dp, NFD, NID, NLD, MAXN4, NPORB, MSG_LEN, KRC_OK
  use krc_deck, only: deck_params_t, deck_reader_t, deck_change_t, deck_open, deck_close, &
                      deck_header, deck_next, deck_checks, DK_CHANGE, DK_CHANGE_ENDS, DK_CASE, &
                      DECK_E_LIMIT, TEXT_LEN, NFILES
  implicit none
  character(len=*), intent(in) :: path, label, base
  integer, intent(in) :: maxev, maxsnap, nzc
  integer, intent(out) :: iev(11, maxev), id(NID, maxsnap), ld(NLD, maxsnap), nzone(maxsnap)
  integer, intent(out) :: nlad(maxsnap), ctl(10), nev, nsnap, nzmax, status
  real(dp), intent(out) :: value(maxev), nums(30, maxev)
  real(dp), intent(out) :: fd(NFD, maxsnap), alat(MAXN4, maxsnap), elev(MAXN4, maxsnap)
  real(dp), intent(out) :: porb(NPORB, maxsnap), zone(4, nzc, maxsnap), parc(12, maxsnap)
  real(dp), intent(out) :: parw(7, maxsnap)
  character(len=TEXT_LEN), intent(out) :: text(maxev), files(NFILES, maxsnap), stems(maxsnap)
  character(len=MSG_LEN), intent(out) :: note(maxev), message
  !> KRC's input resets (formats 1.10) the case would get: chk(1:nchk(s), s)
  integer, intent(out) :: nchk(maxsnap)
  character(len=MSG_LEN), intent(out) :: chk(10, maxsnap)
  character(len=84), intent(out) :: titles(maxsnap)
  type(deck_reader_t) :: r
  type(deck_params_t) :: p
  type(deck_change_t) :: ch
  type(deck_params_t) :: pc
  integer :: kind, n, first

  iev = 0; id = 0; ld = 0; nzone = 0; nlad = 0; ctl = 0; nev = 0; nsnap = 0; nzmax = 0
  value = 0.0_dp; nums = 0.0_dp; fd = 0.0_dp; alat = 0.0_dp; elev = 0.0_dp; porb = 0.0_dp
  zone = 0.0_dp; parc = 0.0_dp; parw = 0.0_dp; text = ' '; files = ' '; stems = ' '
  note = ' '; titles = ' '; nchk = 0; chk = ' '
  call deck_open(r, path, base, status, message, label)
  if (status /= KRC_OK) return
  call deck_header(r, p, status, message)
  if (status /= KRC_OK) then
    call deck_close(r)
    return
  end if
  ctl = [p%kold, p%keep, p%kdb, p%idb, r%line + 1]
  call snapshot()
  do while (status == KRC_OK)
    first = r%line + 1
    call deck_next(r, p, ch, kind, status, message)
    if (status /= KRC_OK) exit
    nev = nev + 1
    if (nev <= maxev) then
      iev(1:9, nev) = [kind, ch%t, ch%index, merge(1, 0, ch%applied), first, r%line, ch%nread, &
                       ch%col_value, ch%col_text]
      iev(11, nev) = ch%nvals
      value(nev) = ch%value
      text(nev) = ch%text
      note(nev) = ch%note
      if (kind == DK_CHANGE .or. kind == DK_CHANGE_ENDS) then
        select case (ch%t)
        case (6)
          nums(:, nev) = p%porb
        case (9)
          nums(1:3, nev) = real([p%kold, p%keep, p%kdb], dp)
        case (11:16)
          n = min(ch%nvals, 12)
          nums(1:n, nev) = ch%vals(1:n)
        end select
      end if
    end if
    if (kind == DK_CASE .or. kind == DK_CHANGE_ENDS) then
      call snapshot()
      if (nev <= maxev) iev(10, nev) = nsnap
    else if (kind /= DK_CHANGE) then
      exit
    end if
  end do
  call deck_close(r)
  if (status /= KRC_OK) return
  if (nev > maxev .or. nsnap > maxsnap .or. nzmax > nzc) then
    status = DECK_E_LIMIT
    write (message, '(a,3(i0,a))') 'the deck has ', nev, ' lines to report, ', nsnap, &
      ' parameter sets and zone tables of up to ', nzmax, ' rows: call again with larger arrays'
  end if

contains

  subroutine snapshot()
    nsnap = nsnap + 1
    if (p%ld(14) .and. allocated(p%zone)) nzmax = max(nzmax, p%nzone)
    if (nsnap > maxsnap) return
    fd(:, nsnap) = p%fd
    id(:, nsnap) = p%id
    ld(:, nsnap) = merge(1, 0, p%ld)
    alat(:, nsnap) = p%alat
    elev(:, nsnap) = p%elev
    porb(:, nsnap) = p%porb
    titles(nsnap) = p%title
    files(:, nsnap) = p%files
    parc(:, nsnap) = p%parc
    parw(:, nsnap) = p%parw
    nlad(nsnap) = p%nlad
    stems(nsnap) = p%tout_stem
    pc = p
    call deck_checks(pc, chk(:, nsnap), nchk(nsnap))
    if (allocated(p%zone)) then
      nzone(nsnap) = p%nzone
      if (p%nzone <= nzc) zone(:, 1:p%nzone, nsnap) = p%zone(:, 1:p%nzone)
    end if
  end subroutine snapshot
end subroutine krc_deck_events

!> A fixed real field as the deck reader reads it (Fw.d / Gw.d input,
!> formats 1.2): ok = 0 if the text is not a number.
subroutine krc_fixed_real(field, d, x, ok)
  use krc_constants, only: dp
  use krc_deck, only: deck_fixed_real
  implicit none
  character(len=*), intent(in) :: field
  integer, intent(in) :: d
  real(dp), intent(out) :: x
  integer, intent(out) :: ok
  logical :: good
  call deck_fixed_real(field, d, x, good)
  ok = merge(1, 0, good)
end subroutine krc_fixed_real

!> A zone table (kind 1: 4 columns) or seasonal table (kind 2: Ls, value) as
!> the deck reader reads it (formats 1.12): table(:, 1:nrow).  status 42:
!> more than maxrow rows (nrow says how many).
subroutine krc_read_table(path, kind, ncol, maxrow, table, nrow, status, message)
  use krc_constants, only: dp, MSG_LEN, KRC_OK
  use krc_deck, only: read_zone_table, read_season_table, DECK_E_LIMIT
  implicit none
  character(len=*), intent(in) :: path
  integer, intent(in) :: kind, ncol, maxrow
  real(dp), intent(out) :: table(ncol, maxrow)
  integer, intent(out) :: nrow, status
  character(len=MSG_LEN), intent(out) :: message
  real(dp), allocatable :: t(:, :)
  table = 0.0_dp
  nrow = 0
  if (kind == 1) then
    call read_zone_table(path, t, nrow, status, message)
  else
    call read_season_table(path, t, nrow, status, message)
  end if
  if (status /= KRC_OK) return
  if (size(t, 1) /= ncol .or. nrow > maxrow) then
    status = DECK_E_LIMIT
    message = 'the table does not fit the arrays given'
    return
  end if
  table(:, 1:nrow) = t(:, 1:nrow)
end subroutine krc_read_table

!> KRC's input resets before a case (formats 1.10, krc_deck::deck_checks) on
!> parameter arrays fd(96), id(40) (changed in place): nmsg messages in
!> msgs.  The one implementation of these rules, for Python's Params.
subroutine krc_input_checks(fd, id, nmsg, msgs)
  use krc_constants, only: dp, NFD, NID, MSG_LEN
  use krc_deck, only: deck_params_t, deck_checks
  implicit none
  real(dp), intent(inout) :: fd(NFD)
  integer, intent(inout) :: id(NID)
  integer, intent(out) :: nmsg
  character(len=MSG_LEN), intent(out) :: msgs(10)
  type(deck_params_t) :: p
  p%fd = fd
  p%id = id
  call deck_checks(p, msgs, nmsg)
  fd = p%fd
  id = p%id
end subroutine krc_input_checks

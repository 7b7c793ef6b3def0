!> Far-field files of KRC's changes 8 21 (write), 8 3 (surface) and 8 4
!> (atmosphere): a flat case's hourly T_s (T_p, T_a) per latitude and season,
!> which a later (sloped) case sees below its horizon and takes its
!> atmosphere temperature from.
!>
!> Spec: ../shared/spec/krc-farfield-climate.md Part A (A2 the original's
!> layout, A3 reading, season interpolation and step arrays, A4 a compact
!> layout, A5 the original's bugs).  Two layouts are read and written:
!>
!> * "krc": the original's headerless records of MAXNH x MAXN4 words
!>   (25.6 MB per record in float64), the record length from the first
!>   record's ID(24); the season count from the true 64-bit file size.
!> * "compact" (ours): an 8-byte magic 'LWKRCFF1', eight int32 (version 1,
!>   kind n, word size 4/8, N24, N4, NS, 0, 0), the 214 float64 words of the
!>   parameter common (formats 3.3, as in record 1 of the original), then per
!>   stored season n arrays (T_s, T_p, T_a) of N24 x N4 words, hour fastest.
!>
!> Reentrant: files are opened with NEWUNIT and closed before returning;
!> every routine returns a status and a message, none stops.
module krc_farfield
  use, intrinsic :: iso_fortran_env, only: int32, int64
  use krc_constants, only: dp, sp, NFD, NID, NLD, MSG_LEN, KRC_OK, KRC_E_INPUT
  use krc_t52, only: t52_sizes, t52_prefix
  implicit none
  private

  public :: ff_file_t, ff_header, ff_load, ff_write, ff_season_weights, ff_season_hourly, &
            ff_spline, ff_lat_index, FF_MAXNH, FF_MAXN4, FF_NWCOM, FF_MAXK, &
            FF_LAYOUT_COMPACT, FF_LAYOUT_KRC, FF_N2_CAP
  public :: ff_case_write, ff_prt_new, ff_prt_open, ff_prt_read, ff_closed_text

  !> Sizes of the original's records (A2): hours x latitudes per record.
  integer, parameter :: FF_MAXNH = 86400, FF_MAXN4 = 37
  integer(int64), parameter :: FF_NH = int(FF_MAXNH, int64)*FF_MAXN4
  !> Words of the parameter common (formats 3.3) and its integer part.
  integer, parameter :: FF_NWCOM = 214, NW_REAL = 170, NINTS = 2*(FF_NWCOM - NW_REAL)
  !> Largest N2/N24 the original's spline fills correctly (A5 bug 3).
  integer, parameter :: FF_MAXK = 32
  !> Steps per sol of the original's far-field step arrays (A1 item 1).
  integer, parameter :: FF_N2_CAP = 6144
  integer, parameter :: FF_LAYOUT_COMPACT = 0, FF_LAYOUT_KRC = 1
  character(len=8), parameter :: MAGIC = 'LWKRCFF1'
  integer(int64), parameter :: COMPACT_HEAD = 8 + 4*8 + 8*FF_NWCOM
  !> Hermite tension of the step arrays (A3.3).
  real(dp), parameter :: TENSION = 0.5_dp

  !> One far-field file as a case reads it (A3.1 item 5), with its data.
  type :: ff_file_t
    integer :: layout = FF_LAYOUT_COMPACT
    integer :: nkind = 0      !< n = -K4OUT: 1 (T_s), 2 (+T_p), 3 (+T_a)
    integer :: wsize = 8      !< bytes per stored temperature
    integer :: n24 = 0, n4 = 0, ns = 0
    real(dp) :: emis = 0      !< EMIS of the writing case (FD 2)
    real(dp) :: slope = 0     !< FD 23
    real(dp) :: deljul = 0    !< FD 42
    real(dp) :: year = 0      !< FD 68 (or (NS-1)*DELJUL when that is < DELJUL, A3.1 item 3)
    real(dp) :: date1 = 0     !< FD 87: the date of the first stored season (A2)
    logical :: year_guessed = .false.
    real(dp) :: lat(FF_MAXN4) = 0
    !> (hour, latitude, season, kind) as the file stores them, widened to double
    real(dp), allocatable :: data(:, :, :, :)
  end type ff_file_t

contains

  !> Read the header of a far-field file of either layout (no data).
  subroutine ff_header(path, f, status, message)
    character(len=*), intent(in) :: path
    type(ff_file_t), intent(out) :: f
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: u, ios, hd(8), k4out
    integer(int64) :: sz, lrec, r
    character(len=8) :: head
    real(dp) :: com(FF_NWCOM)
    integer(int32) :: ints(NINTS)

    status = KRC_E_INPUT
    message = ' '
    open (newunit=u, file=path, access='stream', form='unformatted', action='read', &
          status='old', iostat=ios)
    if (ios /= 0) then
      message = 'far-field file '//trim(path)//': cannot be opened (does it exist?)'
      return
    end if
    inquire (unit=u, size=sz)
    if (sz < 8*FF_NWCOM) then
      message = 'far-field file '//trim(path)//': too short for a parameter common'
      close (u)
      return
    end if
    read (u, pos=1, iostat=ios) head
    if (head == MAGIC) then
      f%layout = FF_LAYOUT_COMPACT
      read (u, pos=9, iostat=ios) hd, com
    else
      f%layout = FF_LAYOUT_KRC
      read (u, pos=1, iostat=ios) com
    end if
    close (u)
    if (ios /= 0) then
      message = 'far-field file '//trim(path)//': cannot read its header'
      return
    end if
    ints = transfer(com(NW_REAL + 1:FF_NWCOM), ints, NINTS)
    f%n4 = ints(4)
    f%n24 = ints(6)
    k4out = ints(17)
    f%wsize = 8
    if (ints(24) == 4) f%wsize = 4
    f%emis = com(2)
    f%slope = com(23)
    f%deljul = com(42)
    f%year = com(68)
    f%date1 = com(87)
    if (k4out >= 0) then
      write (message, '(3a,i0,a)') 'far-field file ', trim(path), ': K4OUT = ', k4out, &
        ' in its header: not a far-field file (a writer has K4OUT -1, -2 or -3)'
      return
    end if
    f%nkind = min(3, -k4out)
    if (f%n4 < 1 .or. f%n4 > FF_MAXN4 .or. f%n24 < 1 .or. f%n24 > FF_MAXNH) then
      write (message, '(3a,i0,a,i0,a)') 'far-field file ', trim(path), ': N4 = ', f%n4, &
        ', N24 = ', f%n24, ' in its header are out of range: not a far-field file'
      return
    end if
    f%lat(1:f%n4) = com(NFD + 1:NFD + f%n4)
    if (f%layout == FF_LAYOUT_COMPACT) then
      if (hd(1) /= 1 .or. hd(2) /= f%nkind .or. hd(3) /= f%wsize .or. hd(4) /= f%n24 .or. &
          hd(5) /= f%n4 .or. hd(6) < 1) then
        message = 'far-field file '//trim(path)//': inconsistent compact header'
        return
      end if
      f%ns = hd(6)
      if (sz /= COMPACT_HEAD + int(f%ns, int64)*f%nkind*f%n24*f%n4*f%wsize) then
        message = 'far-field file '//trim(path)//': size disagrees with its header (truncated?)'
        return
      end if
    else
      ! A3.1 item 2 with the true 64-bit size (A5 bug 1 not reproduced).
      lrec = FF_NH*f%wsize
      r = nint(real(sz, dp)/real(lrec, dp), int64)
      if (r < 1 + f%nkind) then
        message = 'far-field file '//trim(path)//': holds no complete season record'
        return
      end if
      f%ns = int((r - 1)/f%nkind)
      if (sz < (1 + int(f%ns, int64)*f%nkind)*lrec) then
        message = 'far-field file '//trim(path)//': its last record is incomplete (truncated?)'
        return
      end if
    end if
    ! A3.1 item 3: files from before 3.6.1 hold 0 days per year.
    if (f%year < f%deljul) then
      f%year = real(f%ns - 1, dp)*f%deljul
      f%year_guessed = .true.
    end if
    if (.not. (f%deljul > 0.0_dp)) then
      write (message, '(3a,g0.6,a)') 'far-field file ', trim(path), ': DELJUL = ', f%deljul, &
        ' in its header: a season step must be positive'
      return
    end if
    status = KRC_OK
  end subroutine ff_header

  !> Read header and all stored temperatures (f%data(N24, N4, NS, n)).
  subroutine ff_load(path, f, status, message)
    character(len=*), intent(in) :: path
    type(ff_file_t), intent(out) :: f
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: u, ios, s, m, j
    integer(int64) :: pos, lrec
    real(sp), allocatable :: b4(:)
    real(dp), allocatable :: b8(:)

    call ff_header(path, f, status, message)
    if (status /= KRC_OK) return
    allocate (f%data(f%n24, f%n4, f%ns, f%nkind), b4(f%n24), b8(f%n24))
    open (newunit=u, file=path, access='stream', form='unformatted', action='read', &
          status='old', iostat=ios)
    if (ios /= 0) then
      status = KRC_E_INPUT
      message = 'far-field file '//trim(path)//': cannot be opened again'
      return
    end if
    lrec = FF_NH*f%wsize
    do s = 1, f%ns
      do m = 1, f%nkind
        do j = 1, f%n4
          if (f%layout == FF_LAYOUT_COMPACT) then
            pos = COMPACT_HEAD + (((int(s - 1, int64)*f%nkind + (m - 1))*f%n4 + (j - 1))* &
                  f%n24)*f%wsize + 1
          else
            ! Record 2 + (s-1) n + (m-1); word (j-1) MAXNH + (h-1) (A2).
            pos = (1 + int(s - 1, int64)*f%nkind + (m - 1))*lrec + &
                  int(j - 1, int64)*FF_MAXNH*f%wsize + 1
          end if
          if (f%wsize == 4) then
            read (u, pos=pos, iostat=ios) b4
            f%data(:, j, s, m) = real(b4, dp)
          else
            read (u, pos=pos, iostat=ios) b8
            f%data(:, j, s, m) = b8
          end if
          if (ios /= 0) then
            close (u)
            status = KRC_E_INPUT
            write (message, '(3a,i0)') 'far-field file ', trim(path), &
              ': cannot read the temperatures of stored season ', s
            return
          end if
        end do
      end do
    end do
    close (u)
  end subroutine ff_load

  !> Write a far-field file.  common: the 214 words of the writing case's
  !> parameter common (formats 3.3; its ID(24) is set to wsize here);
  !> data(N24, N4, NS, n): T_s, T_p, T_a of the stored seasons.  The file
  !> must not exist (A1, 8 21).  float32 files hold the doubles rounded to
  !> nearest (A2).
  subroutine ff_write(path, layout, nkind, wsize, common, n24, n4, ns, data, status, message)
    character(len=*), intent(in) :: path
    integer, intent(in) :: layout, nkind, wsize, n24, n4, ns
    real(dp), intent(in) :: common(FF_NWCOM), data(n24, n4, ns, nkind)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp) :: com(FF_NWCOM)
    integer(int32) :: ints(NINTS)
    real(sp), allocatable :: r4(:)
    real(dp), allocatable :: r8(:)
    integer :: u, ios, s, m, j, ios2
    integer(int64) :: pos, lrec
    logical :: exists

    status = KRC_E_INPUT
    message = ' '
    if (nkind < 1 .or. nkind > 3 .or. (wsize /= 4 .and. wsize /= 8) .or. n24 < 1 .or. &
        n24 > FF_MAXNH .or. n4 < 1 .or. n4 > FF_MAXN4 .or. ns < 1 .or. &
        (layout /= FF_LAYOUT_COMPACT .and. layout /= FF_LAYOUT_KRC)) then
      write (message, '(a,7(i0,a))') 'far-field writer: kind ', nkind, ', word size ', wsize, &
        ', N24 ', n24, ', N4 ', n4, ', seasons ', ns, ', layout ', layout, &
        ' (kind 1..3, word size 4 or 8, N4 <= 37, N24 <= ', FF_MAXNH, ')'
      return
    end if
    inquire (file=path, exist=exists)
    if (exists) then
      message = 'far-field file '//trim(path)//' exists already: KRC never overwrites one '// &
                '(change 8 21); remove it or name another file'
      return
    end if
    open (newunit=u, file=path, access='stream', form='unformatted', action='write', &
          status='new', iostat=ios)
    if (ios /= 0) then
      message = 'far-field file '//trim(path)//': cannot be created'
      return
    end if
    com = common
    ints = transfer(com(NW_REAL + 1:FF_NWCOM), ints, NINTS)
    ints(24) = wsize
    com(NW_REAL + 1:FF_NWCOM) = transfer(ints, com, FF_NWCOM - NW_REAL)
    if (layout == FF_LAYOUT_COMPACT) then
      write (u, iostat=ios) MAGIC, [1, nkind, wsize, n24, n4, ns, 0, 0], com
      do s = 1, ns
        do m = 1, nkind
          if (ios /= 0) exit
          if (wsize == 4) then
            write (u, iostat=ios) real(data(:, :, s, m), sp)
          else
            write (u, iostat=ios) data(:, :, s, m)
          end if
        end do
      end do
    else
      ! A2: record 1 the common then zeros, each temperature record the
      ! whole MAXNH x MAXN4 array, zeros outside the N24 x N4 corner.
      lrec = FF_NH*wsize
      if (wsize == 4) then
        allocate (r4(FF_NH))
        r4 = 0.0_sp
        write (u, pos=1, iostat=ios) r4
        if (ios == 0) write (u, pos=1, iostat=ios) com
      else
        allocate (r8(FF_NH))
        r8 = 0.0_dp
        r8(1:FF_NWCOM) = com
        write (u, pos=1, iostat=ios) r8
        r8(1:FF_NWCOM) = 0.0_dp
      end if
      do s = 1, ns
        do m = 1, nkind
          if (ios /= 0) exit
          pos = (1 + int(s - 1, int64)*nkind + (m - 1))*lrec + 1
          do j = 1, n4
            if (wsize == 4) then
              r4((j - 1)*FF_MAXNH + 1:(j - 1)*FF_MAXNH + n24) = real(data(:, j, s, m), sp)
            else
              r8((j - 1)*FF_MAXNH + 1:(j - 1)*FF_MAXNH + n24) = data(:, j, s, m)
            end if
          end do
          if (wsize == 4) then
            write (u, pos=pos, iostat=ios) r4
          else
            write (u, pos=pos, iostat=ios) r8
          end if
        end do
      end do
    end if
    if (ios /= 0) then
      close (u, status='delete', iostat=ios2)
      message = 'far-field file '//trim(path)//': write failed (disk full?); nothing kept'
      return
    end if
    close (u, iostat=ios)
    if (ios /= 0) then
      message = 'far-field file '//trim(path)//': close failed'
      return
    end if
    status = KRC_OK
  end subroutine ff_write

  !> A3.2 items 1-3: the stored seasons a, b and weight w of the file's
  !> value at date t.  The reader's grid starts at D_1 = FD(87) - (NS-1) DELJUL
  !> (FD 87 really being the first stored date: A3.1 item 4, A5 bug 5).
  pure subroutine ff_season_weights(f, t, a, b, w)
    type(ff_file_t), intent(in) :: f
    real(dp), intent(in) :: t
    integer, intent(out) :: a, b
    real(dp), intent(out) :: w
    real(dp) :: d1, d2, dn, tt, x
    integer :: i, k

    d1 = f%date1 - real(f%ns - 1, dp)*f%deljul
    d2 = d1 + f%year
    dn = d1 + real(f%ns - 1, dp)*f%deljul
    tt = t
    if (tt < d1) then
      tt = tt + real(int((d1 - tt)/f%year) + 1, dp)*f%year
    else if (tt > max(d2, dn)) then
      k = int((tt - d1)/f%year)
      if (k > 0) tt = tt - real(k, dp)*f%year
    end if
    x = (tt - d1)/f%deljul
    i = int(x)
    if (i < f%ns - 1) then
      a = i + 1
      b = i + 2
      w = x - real(i, dp)
    else
      a = f%ns
      b = 1
      w = (tt - dn)/(d2 - dn)
    end if
    a = max(1, min(f%ns, a))
    b = max(1, min(f%ns, b))
  end subroutine ff_season_weights

  !> A3.2 item 4: the file's hourly values of kind m at date t, (N24, N4).
  pure subroutine ff_season_hourly(f, t, m, v)
    type(ff_file_t), intent(in) :: f
    real(dp), intent(in) :: t
    integer, intent(in) :: m
    real(dp), intent(out) :: v(:, :)
    integer :: a, b
    real(dp) :: w
    call ff_season_weights(f, t, a, b, w)
    if (w > 0.0_dp) then
      v = (1.0_dp - w)*f%data(:, :, a, m) + w*f%data(:, :, b, m)
    else
      v = f%data(:, :, a, m)
    end if
  end subroutine ff_season_hourly

  !> A3.3: the last file latitude within 0.1 degree of lat, 0 if none.
  pure integer function ff_lat_index(f, lat) result(j)
    type(ff_file_t), intent(in) :: f
    real(dp), intent(in) :: lat
    integer :: i
    j = 0
    do i = 1, f%n4
      if (abs(lat - f%lat(i)) <= 0.1_dp) j = i
    end do
  end function ff_lat_index

  !> A3.3: step values out(1..N*K) from the hourly y(1..N) by the periodic
  !> cardinal cubic Hermite spline (tension 0.5); step K h ends at hour h
  !> and equals y(h) exactly.  K >= 2 (K = 1 and K > 32 are refused).
  pure subroutine ff_spline(y, k, out)
    real(dp), intent(in) :: y(:)
    integer, intent(in) :: k
    real(dp), intent(out) :: out(:)
    real(dp) :: yy(-1:size(y) + 1), h1(k - 1), h2(k - 1), h3(k - 1), h4(k - 1)
    real(dp) :: s, s2, s3, m1, m2
    integer :: n, i, kk

    n = size(y)
    yy(1:n) = y
    yy(0) = y(n)
    yy(-1) = y(max(n - 1, 1))
    yy(n + 1) = y(1)
    do i = 1, k - 1
      s = real(i, dp)/real(k, dp)
      s2 = s*s
      s3 = s*s2
      h1(i) = (2.0_dp*s3 - 3.0_dp*s2) + 1.0_dp
      h2(i) = -(2.0_dp*s3) + 3.0_dp*s2
      h3(i) = (s3 - 2.0_dp*s2) + s
      h4(i) = s3 - s2
    end do
    do kk = 1, n
      m1 = TENSION*(yy(kk) - yy(kk - 2))
      m2 = TENSION*(yy(kk + 1) - yy(kk - 1))
      do i = 1, k - 1
        out((kk - 1)*k + i) = ((h1(i)*yy(kk - 1) + h2(i)*yy(kk)) + h3(i)*m1) + h4(i)*m2
      end do
      out(kk*k) = yy(kk)
    end do
  end subroutine ff_spline

  !> The far-field file of a finished writing case (8 21, farfield-climate
  !> A2): kind n = min(3, -K4OUT), float32 when ID(24) = 4, the stored
  !> seasons JDISK..N5 (hourly = the type-52 items of the case, formats 3.2),
  !> the parameter common exactly as the case's type-52 snapshot (t52_prefix
  !> words 5..218 from fd_out, id_out, ld, title, runtime).  Both front doors
  !> call this routine (the deck driver in DRV_RUN, the console script through
  !> _krcio after it computed the case).
  subroutine ff_case_write(path, layout, fd_out, id_out, ld, n4, alat, elev, title, runtime, &
                           n24, nsout, hourly, svals, status, message)
    character(len=*), intent(in) :: path, title, runtime
    integer, intent(in) :: layout, n4, n24, nsout
    real(dp), intent(in) :: fd_out(NFD), alat(n4), elev(n4)
    integer, intent(in) :: id_out(NID)
    logical, intent(in) :: ld(NLD)
    real(dp), intent(in) :: hourly(n24, 7, n4, nsout), svals(5, nsout)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    integer :: mm3, ndx, kase, nkind, wsize, ld01(NLD), m, s
    real(dp), allocatable :: words(:), data(:, :, :, :)

    status = KRC_E_INPUT
    message = ' '
    if (id_out(17) >= 0 .or. nsout < 1) then
      write (message, '(3a,i0,a,i0)') 'far-field file ', trim(path), ': K4OUT = ', id_out(17), &
        ' and stored seasons N5-JDISK+1 = ', nsout
      message = trim(message)//': a far-field file needs K4OUT -1..-3 and N5 >= JDISK'
      return
    end if
    nkind = min(3, -id_out(17))
    wsize = 8
    if (id_out(24) == 4) wsize = 4
    call t52_sizes(n24, n4, nsout, mm3, ndx, kase)
    allocate (words(mm3*ndx))
    ld01 = 0
    where (ld) ld01 = 1
    call t52_prefix(fd_out, id_out, ld01, n4, alat, elev, title, runtime, &
                    merge(1, 0, fd_out(12) > 1.0_dp), nsout, svals, mm3, ndx, words)
    allocate (data(n24, n4, nsout, nkind))
    do m = 1, nkind
      do s = 1, nsout
        data(:, :, s, m) = hourly(:, m, :, s)
      end do
    end do
    call ff_write(path, layout, nkind, wsize, words(5:4 + FF_NWCOM), n24, n4, nsout, data, &
                  status, message)
  end subroutine ff_case_write

  !> Print lines of a writing case at its start (A2): the original's record
  !> length whatever the layout (the print file stays the original's).
  subroutine ff_prt_new(u, name, k4out, wsize, runtime)
    integer, intent(in) :: u, k4out, wsize
    character(len=*), intent(in) :: name, runtime
    write (u, '(a,a)') 'TDISK:  Opened NEW direct access file = ', trim(name)
    write (u, '(a,i4,a,2i8,a,a)') ' Type=', k4out, ' Record length in Real & NRECL=', &
      int(FF_NH*wsize/8), int(FF_NH*wsize), '  NOW=', runtime
  end subroutine ff_prt_new

  !> Print lines of opening a far-field file for reading (A3.1 items 1, 6):
  !> twice for a float32 file (the original reopens it).
  subroutine ff_prt_open(u, name, wsize, runtime)
    integer, intent(in) :: u, wsize
    character(len=*), intent(in) :: name, runtime
    integer :: k, w
    w = 8
    do k = 1, merge(2, 1, wsize == 4)
      write (u, '(a)') ''
      write (u, '(a,a)') 'TFAR: Opened direct access file = ', trim(name)
      write (u, '(a,2i7,a,a)') ' NWTOT & NRECL used=', int(FF_NH), int(FF_NH*w), '  Now=', &
        runtime
      w = 4
    end do
  end subroutine ff_prt_open

  !> The season-read line of A3.2 item 6 (season a of the interpolation).
  subroutine ff_prt_read(u, name, a)
    integer, intent(in) :: u, a
    character(len=*), intent(in) :: name
    write (u, '(a,a,a,i4)') ' TFAR: READ FILE= ', trim(name), ' Season 1=', a
  end subroutine ff_prt_read

  !> The end-of-run line of an open file (A1): list-directed as the original.
  function ff_closed_text(name, unit, nkind) result(line)
    character(len=*), intent(in) :: name
    integer, intent(in) :: unit, nkind
    character(len=200) :: line
    write (line, *) 'Closed DA file. Name, Unit, -Type=', trim(name), unit, nkind
  end function ff_closed_text

end module krc_farfield

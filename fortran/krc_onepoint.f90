!> Temperatures at a point: KRC's one-point requests (a date from Ls, a
!> fresh case, the temperatures interpolated to the requested hour).
!>
!> Spec: ../shared/spec/krc-onepoint.md sections 3 (the date of a request)
!> and 6 (the temperatures at the requested hour).  Pure code, no state.
module krc_onepoint
  use krc_constants, only: dp, NFD, NID, NLD, NPORB, MSG_LEN, KRC_OK
  use krc_season, only: case_run, NSEASON_VALS
  use krc_orbit, only: ls_to_date
  implicit none
  private

  public :: request_date, hour_temperatures, one_case

contains

  !> DJUL of a request (onepoint 3, step 5): N5 seasons DELJUL apart end on
  !> the date of the requested Ls.
  pure real(dp) function request_date(porb, ls, n5, deljul) result(djul)
    real(dp), intent(in) :: porb(NPORB), ls, deljul
    integer, intent(in) :: n5
    djul = ls_to_date(porb, ls) - real(n5 - 1, dp)*deljul
  end function request_date

  !> Surface (ts) and planetary (tp) temperature at local time hour (0..24 h)
  !> from the last sol's per-step surface temperatures tout(N2) and its
  !> hourly surface / planetary samples tsfh, tpfh(N24) (onepoint 6).
  pure subroutine hour_temperatures(tout, tsfh, tpfh, hour, ts, tp)
    real(dp), intent(in) :: tout(:), tsfh(:), tpfh(:), hour
    real(dp), intent(out) :: ts, tp
    real(dp) :: q, f, di, dj
    integer :: n2, n24, i, j

    n2 = size(tout)
    n24 = size(tsfh)
    ! 1: the surface on the step grid, wrapped to steps N2 and 1.
    q = hour*real(n2, dp)/24.0_dp
    i = int(q)
    j = i + 1
    f = q - real(i, dp)
    if (i < 1) i = n2
    if (j > n2) j = 1
    ts = tout(i) + f*(tout(j) - tout(i))
    ! 2: the planetary offset on the hour grid; T_s + d_i first.
    q = hour*real(n24, dp)/24.0_dp
    i = int(q)
    j = i + 1
    f = q - real(i, dp)
    if (i < 1) i = n24
    if (j > n24) j = 1
    di = tpfh(i) - tsfh(i)
    dj = tpfh(j) - tsfh(j)
    tp = (ts + di) + f*(dj - di)
  end subroutine hour_temperatures

  !> One request as a case (krc-onepoint 4, 6): the core with the last sol's
  !> step-by-step surface temperatures and hourly samples of the last
  !> latitude, then T_s and T_p at the hour FD(84) in point.
  subroutine one_case(fd, id, ld, n4, alat, elev, porb, nzone, zone, n24, nsout, alb_tab, &
                      tau_tab, hourly, svals, fd_out, id_out, point, status, message)
    integer, intent(in) :: id(NID), n4, nzone, n24, nsout
    real(dp), intent(in) :: fd(NFD), alat(n4), elev(n4), porb(NPORB), zone(:, :)
    real(dp), intent(in) :: alb_tab(:, :), tau_tab(:, :)
    logical, intent(in) :: ld(NLD)
    real(dp), intent(out) :: hourly(n24, 7, n4, nsout), svals(NSEASON_VALS, nsout), fd_out(NFD)
    integer, intent(out) :: id_out(NID)
    real(dp), intent(out) :: point(2)
    integer, intent(out) :: status
    character(len=MSG_LEN), intent(out) :: message
    real(dp), allocatable :: layers(:, :, :, :), tout(:), tsfh(:), tpfh(:)

    point = 0.0_dp
    allocate (layers(n24, 0, n4, nsout), tout(id(2)), tsfh(n24), tpfh(n24))
    call case_run(fd, id, ld, n4, alat, elev, porb, nzone, zone, n24, nsout, 0, alb_tab, &
                  tau_tab, hourly, svals, layers, fd_out, id_out, status, message, nlad=n4, &
                  tout=tout, tsfh=tsfh, tpfh=tpfh)
    if (status /= KRC_OK) return
    call hour_temperatures(tout, tsfh, tpfh, fd(84), point(1), point(2))
  end subroutine one_case
end module krc_onepoint

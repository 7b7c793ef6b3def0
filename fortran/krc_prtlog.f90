!> Layout of the print log: the model quantities of the season-loop tables
!> of the print file (../shared/spec/krc-print-extras.md sections 2-4, 8-10:
!> LPGLOB, LP3, LP4, fort.76, LP5, LP6) that the core records when asked
!> (krc_season::case_run, optional plog) and the print routines read
!> (krc_prt::prt_seasons).  One flat real(dp) array, so that it passes
!> through f2py and the console script's results unchanged.
!>
!> Layout: a case head (PL_HEAD words: N1, N4, N5, N24, NMHA, number of
!> printed layers np, then the centre depths of the np printed layers), then per season J5 = 1..N5 a season head (PS_HEAD
!> words) followed by the N4 latitude blocks of that season.
!>
!> Pure functions only; no state.
module krc_prtlog
  use krc_constants, only: dp, MAXN3
  implicit none
  private

  public :: plog_size, plog_layers, plog_season, plog_lat, plog_nprinted
  public :: PL_HEAD, PS_HEAD, PS_SDEC, PS_DAU, PS_SUBS, PS_DJUL, PS_SUMF, PS_ALB, PS_TAUD
  public :: LH, LH_TEQ, LH_DAM, LH_SAVE, LH_BAVE, LH_DTM, LH_NDAYS, LH_FROST, LH_AFNOW, &
            LH_PRES, LH_TSEP, LH_TBEP
  public :: lp3_off, lp3_width, lp4_off, lp4_width, lp5_off, lp6_off, f76_off, LP4_ROWS

  !> Case head words (6 + room for the depths of at most 12 printed layers).
  integer, parameter :: PL_HEAD = 18
  !> Season head: SDEC, DAU, Ls, DJU5, global frost at the season start
  !> (LPGLOB), the season's ALB and TAUD, one spare.
  integer, parameter :: PS_HEAD = 8
  integer, parameter :: PS_SDEC = 1, PS_DAU = 2, PS_SUBS = 3, PS_DJUL = 4, PS_SUMF = 5, &
                        PS_ALB = 6, PS_TAUD = 7
  !> Latitude head: TEQUIL, half day (deg), SURF AVE, BOTM AVE, DELTA T, NUM
  !> DAYS, FROST4, ALB/dayF, local surface pressure, TS EPRED, TB EPRED, spare.
  integer, parameter :: LH = 12
  integer, parameter :: LH_TEQ = 1, LH_DAM = 2, LH_SAVE = 3, LH_BAVE = 4, LH_DTM = 5, &
                        LH_NDAYS = 6, LH_FROST = 7, LH_AFNOW = 8, LH_PRES = 9, LH_TSEP = 10, &
                        LH_TBEP = 11
  !> LP4 rows kept per latitude (a season never computes more than MAXN3 sols).
  integer, parameter :: LP4_ROWS = MAXN3 + 1

contains

  !> Number of printed layers (spec 3 item 4): 2, 2+NLW, ... up to N1-1, then N1.
  pure integer function plog_nprinted(n1) result(np)
    integer, intent(in) :: n1
    integer :: idx(n1)
    call plog_layers(n1, idx, np)
  end function plog_nprinted

  !> The printed layers idx(1:np) (spec 3 item 4), NLW = 1 + (N1-3)/10.
  pure subroutine plog_layers(n1, idx, np)
    integer, intent(in) :: n1
    integer, intent(out) :: idx(:), np
    integer :: nlw, j
    np = 0
    if (n1 < 2) return
    nlw = 1 + (n1 - 3)/10
    if (nlw < 1) nlw = 1
    j = 2
    do while (j <= n1 - 1)
      np = np + 1
      idx(np) = j
      j = j + nlw
    end do
    np = np + 1
    idx(np) = n1
  end subroutine plog_layers

  pure integer function lp3_width(np) result(w)
    integer, intent(in) :: np
    w = np + 3              ! frost, layer-1 slot, printed layers, T_a
  end function lp3_width

  pure integer function lp4_width(np) result(w)
    integer, intent(in) :: np
    w = np + 4              ! RMS change, mean T_s, mean T_N1, layer-1 slot, printed layers
  end function lp4_width

  !> Words of one latitude block.
  pure integer function lat_words(n1, n24, nmha) result(w)
    integer, intent(in) :: n1, n24, nmha
    integer :: np
    np = plog_nprinted(n1)
    w = LH + nmha*lp3_width(np) + LP4_ROWS*lp4_width(np) + n24 + 2*n1 + 3*n24
  end function lat_words

  !> Words of the whole log of a case.
  pure integer function plog_size(n1, n4, n5, n24, nmha) result(n)
    integer, intent(in) :: n1, n4, n5, n24, nmha
    n = PL_HEAD + max(n5, 0)*(PS_HEAD + n4*lat_words(n1, n24, max(nmha, 0)))
  end function plog_size

  !> Offset (0-based) of the head of season j5.
  pure integer function plog_season(n1, n4, n24, nmha, j5) result(k)
    integer, intent(in) :: n1, n4, n24, nmha, j5
    k = PL_HEAD + (j5 - 1)*(PS_HEAD + n4*lat_words(n1, n24, nmha))
  end function plog_season

  !> Offset (0-based) of the head of latitude j4 of season j5.
  pure integer function plog_lat(n1, n4, n24, nmha, j5, j4) result(k)
    integer, intent(in) :: n1, n4, n24, nmha, j5, j4
    k = plog_season(n1, n4, n24, nmha, j5) + PS_HEAD + (j4 - 1)*lat_words(n1, n24, nmha)
  end function plog_lat

  !> Offsets (0-based) within a latitude block of its parts: LP3 rows
  !> (nmha x lp3_width), LP4 rows (LP4_ROWS x lp4_width), the hourly T_s
  !> (N24), the layer maxima then minima (2 x N1), and the fort.76 columns
  !> (N24 x 3: solar heating of the atmosphere, (1-ALB) x collimated flux, T_p).
  pure integer function lp3_off(np) result(k)
    integer, intent(in) :: np
    k = LH + 0*np
  end function lp3_off

  pure integer function lp4_off(np, nmha) result(k)
    integer, intent(in) :: np, nmha
    k = lp3_off(np) + nmha*lp3_width(np)
  end function lp4_off

  pure integer function lp5_off(np, nmha) result(k)
    integer, intent(in) :: np, nmha
    k = lp4_off(np, nmha) + LP4_ROWS*lp4_width(np)
  end function lp5_off

  pure integer function lp6_off(np, nmha, n24) result(k)
    integer, intent(in) :: np, nmha, n24
    k = lp5_off(np, nmha) + n24
  end function lp6_off

  pure integer function f76_off(np, nmha, n24, n1) result(k)
    integer, intent(in) :: np, nmha, n24, n1
    k = lp6_off(np, nmha, n24) + 2*n1
  end function f76_off

end module krc_prtlog

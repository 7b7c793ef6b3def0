!> The f2py surface of the orbit computation (legacy_wrap._krcporb): plain
!> external subroutines with explicit-shape arguments, mirrored by the
!> hand-kept signature file _krcporb.pyf.  Reentrant; status 0 = ok, the
!> codes of krc_porb otherwise, with a message.

!> One body: isrc/item as porbmn's option 1 (1 planets and satellites,
!> 3 minor, 4 small, 5 comets, 6 exoplanets), tc the epoch (source 1 only),
!> pole the spin-axis row name (blank: the planet's own), tabdir the folder of
!> the six tables.  values: the 41 values at full precision; title; lines: the
!> six 75-column value records of the deck-ready block (section 6.1).
subroutine porb_body(tabdir, isrc, item, tc, pole, values, title, lines, status, message)
  use krc_constants, only: dp
  use krc_porb, only: porb_set_t, porb_log_t, porb_compute, porb_block, NPORBCM, PORB_OK
  implicit none
  character(len=*), intent(in) :: tabdir, pole
  integer, intent(in) :: isrc, item
  real(dp), intent(in) :: tc
  real(dp), intent(out) :: values(NPORBCM)
  character(len=25), intent(out) :: title
  character(len=450), intent(out) :: lines
  integer, intent(out) :: status
  character(len=256), intent(out) :: message
  type(porb_set_t) :: set
  type(porb_log_t) :: log
  character(len=75) :: rec(6)
  character(len=100) :: header
  character(len=20) :: runtime
  integer :: r

  call porb_compute(tabdir, isrc, item, tc, pole, 0, .false., set, log, status, message)
  values = set%v
  title = set%title
  lines = ' '
  if (status /= PORB_OK) return
  runtime = ' '
  call porb_block(set, runtime, header, rec)
  do r = 1, 6
    lines(75 * r - 74:75 * r) = rec(r)
  end do
end subroutine porb_body

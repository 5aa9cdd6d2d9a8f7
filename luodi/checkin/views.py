"""Check-in, roll call and leave: the trainee's phone pages and the head teacher's pages.

Trainee pages need ``Perm.TRAINEE_SELF`` and only ever reach the user's own enrolments
(``Enrolment.objects.of_user``; anything else is a 404). Class pages need ``Perm.RUN_CLASSES``
and ``training.policies.may_run_class``: staff and administrators run every class, a head
teacher only their own (403 otherwise). A session's screen and roll call also let in its own
teacher (``may_run_session``); a class's attendance page also a supervisor, read only.
"""

from datetime import datetime, timedelta
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from luodi.accounts.access import Perm, requires
from luodi.cadres.models import Cadre
from luodi.checkin import leave, roll_call, services, tokens, trainee
from luodi.checkin.forms import DecisionForm, LeaveRequestForm, MarkForm, ReflectionForm
from luodi.checkin.lists import ATTENDANCE
from luodi.lib import qr
from luodi.lib.documents.http import file_attachment, open_upload
from luodi.training import timetable
from luodi.training.models import (
    ATTENDED_STATUSES,
    Attendance,
    AttendanceStatus,
    Enrolment,
    LeaveRequest,
    LeaveStatus,
    Reflection,
    Session,
)
from luodi.training.policies import (
    class_for,
    may_read_class_records,
    may_run_class,
    may_run_session,
)

MINE = Enrolment.objects.of_user

# ---- access helpers ------------------------------------------------------------------------


def _my_enrolment(request, pk: int) -> Enrolment:
    return get_object_or_404(MINE(request.user).select_related("training_class__class_type"), pk=pk)


def _session_to_run(request, pk: int) -> Session:
    session = get_object_or_404(
        Session.objects.select_related("training_class__class_type", "course"), pk=pk
    )
    if not may_run_session(request.user, session):
        raise PermissionDenied
    return session


def _cadre_ref(request) -> Cadre | None:
    """The user's cadre by its key alone: enough to filter by, without reading the record."""
    return Cadre(pk=request.user.cadre_id) if request.user.cadre_id else None


def _refusal(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---- the trainee's phone pages -------------------------------------------------------------


@requires(Perm.TRAINEE_SELF, scope=MINE)
def home(request):
    cadre = request.user.cadre
    if cadre is None:
        raise Http404
    now = timezone.now()
    context = {
        "enrolments": trainee.my_classes(cadre),
        "today": trainee.todays_sessions(cadre, timezone.localdate(now), now),
        "today_date": timezone.localdate(now),
    }
    return render(request, "checkin/home.html", context)


SCANS = "luodi_checkin_scans"  # session key: {session id: when a valid code was scanned}


def _remember_scan(view):
    """A phone that is not logged in scans a valid code: keep the scan in this browser's
    session and send the trainee to log in (or to their first login), then on to ``scanned``,
    which checks them in at the time of the scan. Without this, a trainee who takes more than
    a minute or two to log in would find the code expired and have to scan again."""

    @wraps(view)
    def wrapper(request, session_id: int, token: str):
        now = timezone.now()
        if not request.user.is_authenticated and tokens.token_is_valid(session_id, token, now):
            scans = request.session.get(SCANS, {})
            scans[str(session_id)] = now.isoformat()
            request.session[SCANS] = scans
            return redirect_to_login(reverse("checkin:scanned", args=[session_id]))
        return view(request, session_id=session_id, token=token)

    return wrapper


@_remember_scan
@requires(Perm.TRAINEE_SELF, scope=MINE)
@never_cache
def check_in(request, session_id: int, token: str):
    """Where the QR code leads. Checking in twice changes nothing, so this is a GET; success
    redirects to the session's result page, so reloading it later never re-submits a code."""
    session = _session_for_check_in(session_id)
    try:
        if session is None:
            raise services.invalid_code()  # an unknown session says no more than a bad code
        services.session_check_in(
            session=session, cadre=_cadre_ref(request), token=token, now=timezone.now()
        )
    except services.CheckInRefused as exc:
        context = {"refusal": _refusal(exc)}
        return render(request, "checkin/checked_in.html", context, status=exc.http_status)
    return redirect("checkin:my-session", session_id=session.pk)


@requires(Perm.TRAINEE_SELF, scope=MINE)
@never_cache
def scanned(request, session_id: int):
    """Where a scan made before logging in completes (see ``_remember_scan``)."""
    if not request.user.cadre_id:
        raise Http404  # an account without a cadre record never checks in
    scans = request.session.get(SCANS, {})
    scanned_at = scans.pop(str(session_id), None)
    request.session[SCANS] = scans
    session = _session_for_check_in(session_id)
    if scanned_at is None or session is None:
        messages.info(request, _("Scan the code on the classroom screen to check in."))
        return redirect("checkin:home")
    try:
        services.session_check_in_scanned(
            session=session,
            cadre=_cadre_ref(request),
            scanned_at=datetime.fromisoformat(scanned_at),
            now=timezone.now(),
        )
    except services.CheckInRefused as exc:
        context = {"refusal": _refusal(exc)}
        return render(request, "checkin/checked_in.html", context, status=exc.http_status)
    return redirect("checkin:my-session", session_id=session.pk)


def _session_for_check_in(session_id: int) -> Session | None:
    # Only what checking in needs: this is the busiest page of the system.
    fields = ("pk", "training_class_id", "date", "start_time")
    return Session.objects.only(*fields).order_by().filter(pk=session_id).first()


@requires(Perm.TRAINEE_SELF, scope=MINE)
def my_session(request, session_id: int):
    """The trainee's attendance at one session: the page a successful check-in lands on."""
    attendance = get_object_or_404(
        Attendance.objects.select_related("session__training_class__class_type", "session__course"),
        session_id=session_id,
        enrolment__in=MINE(request.user),
    )
    context = {
        "session": attendance.session,
        "attendance": attendance,
        "checked_in": attendance.status in ATTENDED_STATUSES,
    }
    return render(request, "checkin/checked_in.html", context)


@requires(Perm.TRAINEE_SELF, scope=MINE)
def leave_new(request, enrolment_id: int):
    enrolment = _my_enrolment(request, enrolment_id)
    settled = enrolment.attendances.filter(
        status__in=(*ATTENDED_STATUSES, AttendanceStatus.LEAVE)
    ).values("session_id")
    open_sessions = (
        enrolment.training_class.sessions.select_related("course")
        .exclude(pk__in=settled)
        .exclude(pk__in=leave.requested_sessions(enrolment))
        .order_by("date", "start_time")
    )
    form = LeaveRequestForm(request.POST or None, sessions=open_sessions)
    forecast = None
    if request.method == "POST" and form.is_valid():
        forecast = leave.leave_forecast(enrolment, form.cleaned_data["sessions"])
        # Beyond the limit the trainee is warned first, and sends only if they still want to.
        if not forecast.over_limit or "over_limit_ok" in request.POST:
            forecast = None
            if _send_leave_request(request, enrolment, form):
                messages.success(
                    request, _("Your leave request has been sent to the head teacher.")
                )
                return redirect("checkin:leave-new", enrolment_id=enrolment.pk)
    context = {
        "enrolment": enrolment,
        "form": form,
        "forecast": forecast,
        "requests": enrolment.leave_requests.prefetch_related("sessions__course"),
        "leave_hours": leave.leave_hours(enrolment),
        "leave_limit": leave.leave_limit(enrolment.training_class),
    }
    return render(request, "checkin/leave_new.html", context)


def _send_leave_request(request, enrolment: Enrolment, form) -> bool:
    """Send the request; on a refusal, put the reason on the form and return False."""
    try:
        leave.leave_request_create(
            enrolment=enrolment,
            sessions=form.cleaned_data["sessions"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@requires(Perm.TRAINEE_SELF, scope=MINE)
def my_timetable(request, enrolment_id: int):
    """The whole timetable of the trainee's own class, day by day, on the phone."""
    enrolment = _my_enrolment(request, enrolment_id)
    sessions = enrolment.training_class.sessions.for_timetable()
    context = {
        "enrolment": enrolment,
        "class": enrolment.training_class,
        "days": timetable.build(sessions),
        "today": timezone.localdate(),
    }
    return render(request, "checkin/timetable.html", context)


@requires(Perm.TRAINEE_SELF, scope=MINE)
def reflection(request, enrolment_id: int):
    enrolment = _my_enrolment(request, enrolment_id)
    existing = Reflection.objects.filter(enrolment=enrolment).first()
    shortest = trainee.reflection_min_length()
    form = ReflectionForm(
        request.POST or None,
        request.FILES or None,
        initial={"text": existing.text if existing else ""},
        min_length=shortest,
    )
    if request.method == "POST" and form.is_valid():
        try:
            trainee.reflection_save(
                enrolment=enrolment,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data["attachment"],
                by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Your reflection has been saved."))
            return redirect("checkin:home")
    text = form["text"].value() or ""
    context = {
        "enrolment": enrolment,
        "form": form,
        "existing": existing,
        "min_length": shortest,
        "length": trainee.reflection_length(text),
    }
    return render(request, "checkin/reflection.html", context)


@requires(Perm.TRAINEE_SELF, scope=MINE)
def courseware_download(request, pk: int):
    if not request.user.cadre_id:
        raise Http404
    item = get_object_or_404(trainee.courseware_available_to(_cadre_ref(request)), pk=pk)
    # Always a download, typed by what the file holds (never rendered in the page's origin).
    handle, content_type, extension = open_upload(item.file)
    return file_attachment(
        handle,
        filename=item.title + extension,
        fallback=f"courseware-{item.pk}{extension}",
        content_type=content_type,
    )


# ---- the head teacher's pages --------------------------------------------------------------


@requires(Perm.RUN_CLASSES, Perm.READ_CLASS_RECORDS, scope=may_read_class_records)
def class_attendance(request, pk: int):
    """A class's sessions with their attendance, each linking to its screen and roll call for
    whoever runs the class; a supervisor reads it only."""
    training_class = class_for(request.user, pk, may_read_class_records)
    context = {
        "class": training_class,
        "may_run": may_run_class(request.user, training_class),
        "sessions": ATTENDANCE.rows(request.user, {}, training_class),
        "pending_leave": LeaveRequest.objects.filter(
            enrolment__training_class=training_class, status=LeaveStatus.PENDING
        ).count(),
    }
    return render(request, "checkin/class_attendance.html", context)


EVALUATION_BEFORE_END = timedelta(minutes=10)


@requires(Perm.RUN_CLASSES, Perm.TEACH_SESSIONS, scope=may_run_session)
@never_cache
def screen(request, pk: int):
    """The classroom screen: the rotating QR code and live counts, refreshed by htmx."""
    session = _session_to_run(request, pk)
    now = timezone.now()
    window = tokens.window(session)
    context = {
        "session": session,
        "window": window,
        "is_open": window.is_open(now),
        "not_yet": now < window.opens,
        "counts": roll_call.counts(session),
        "now": now,
        # Near its end the screen turns into the session's evaluation QR code (surveys).
        "evaluation_due": now >= session.ends_at - EVALUATION_BEFORE_END,
    }
    if context["is_open"]:
        context["qr"] = qr.qr_svg(tokens.check_in_url(session.pk, now))
    template = "checkin/_screen_live.html" if request.htmx else "checkin/screen.html"
    return render(request, template, context)


@requires(Perm.RUN_CLASSES, Perm.TEACH_SESSIONS, scope=may_run_session)
@never_cache
def roll_call_page(request, pk: int):
    return _render_roll_call(request, _session_to_run(request, pk))


def _render_roll_call(request, session: Session):
    rows = roll_call.roster(session)
    context = {
        "session": session,
        "rows": rows,
        "counts": roll_call.counts_of(rows),
        "statuses": AttendanceStatus.choices,
        "window": tokens.window(session),
        "may_run_class": may_run_class(request.user, session.training_class),
    }
    template = "checkin/_roll_call_table.html" if request.htmx else "checkin/roll_call.html"
    return render(request, template, context)


@requires(Perm.RUN_CLASSES, Perm.TEACH_SESSIONS, scope=may_run_session)
@require_POST
def roll_call_mark(request, pk: int):
    session = _session_to_run(request, pk)
    form = MarkForm(request.POST)
    if form.is_valid():
        enrolment = Enrolment.objects.filter(
            pk=form.cleaned_data["enrolment"], training_class_id=session.training_class_id
        ).first()
        try:
            if enrolment is None:
                raise ValidationError(_("This trainee is not on this class's roll."))
            services.attendance_mark(
                session=session,
                enrolment=enrolment,
                status=form.cleaned_data["status"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, _refusal(exc))
    else:
        messages.error(request, _("Choose present, late, on leave or absent."))
    return _back_to_roll_call(request, session)


@requires(Perm.RUN_CLASSES, Perm.TEACH_SESSIONS, scope=may_run_session)
@require_POST
def roll_call_mark_absent(request, pk: int):
    session = _session_to_run(request, pk)
    try:
        n = services.attendance_mark_unmarked_absent(
            session=session, now=timezone.now(), by=request.user
        )
    except ValidationError as exc:
        messages.error(request, _refusal(exc))
    else:
        text = ngettext("%(n)s trainee marked absent.", "%(n)s trainees marked absent.", n)
        messages.success(request, text % {"n": n})
    return _back_to_roll_call(request, session)


def _back_to_roll_call(request, session: Session):
    if request.htmx:
        return _render_roll_call(request, session)
    return redirect("checkin:roll-call", pk=session.pk)


@requires(Perm.RUN_CLASSES, scope=may_run_class)
def class_leave(request, pk: int):
    """Pending leave requests with each trainee's leave against the limit, then the roster's
    leave hours and the latest decisions."""
    training_class = class_for(request.user, pk, may_run_class)
    context = {
        "class": training_class,
        "reviews": leave.pending_reviews(training_class),
        "limit": leave.leave_limit(training_class),
        "roster": leave.with_leave_hours(training_class.enrolments.on_roster())
        .select_related("cadre")
        .order_by("-leave_hours", "cadre__name_pinyin"),
        "decided": LeaveRequest.objects.filter(enrolment__training_class=training_class)
        .exclude(status=LeaveStatus.PENDING)
        .select_related("enrolment__cadre", "decided_by")
        .prefetch_related("sessions")
        .order_by("-decided_at")[:20],
    }
    return render(request, "checkin/class_leave.html", context)


@requires(Perm.RUN_CLASSES, scope=may_run_class)
@require_POST
def leave_decide(request, pk: int):
    leave_request = get_object_or_404(
        LeaveRequest.objects.select_related("enrolment__training_class"), pk=pk
    )
    training_class = leave_request.enrolment.training_class
    if not may_run_class(request.user, training_class):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            leave.leave_request_decide(
                leave_request=leave_request,
                approve=approve,
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, _refusal(exc))
        else:
            messages.success(request, _("Leave approved.") if approve else _("Leave refused."))
    else:
        messages.error(
            request,
            _("Choose approve or refuse; a note has at most %(n)s characters.")
            % {"n": leave.NOTE_MAX_LENGTH},
        )
    return redirect("checkin:class-leave", pk=training_class.pk)

"""`peaceops returns count --as-of D | flows --day D | plan | needs | import | export-hxl | rebuild`."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from peaceops.core.context import acting_as
from peaceops.core.operation import operation_day
from peaceops.core.params import command_span, date_argument
from peaceops.core.text import record_number


class Command(BaseCommand):
    help = "Return of displaced people: counts, convoy planning, imports and HXL export."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        count = verbs.add_parser("count", help="people returned as of a day: total, then one line per settlement")
        count.add_argument("--as-of", type=date_argument, default=None, help="reporting day (default: today)")
        flows = verbs.add_parser("flows", help="flow counts at checkpoints for a day (people outside convoys, no "
                                 "names): totals, then per checkpoint; --set records a checkpoint's counts")
        flows.add_argument("--day", type=date_argument, default=None, help="reporting day (default: today)")
        flows.add_argument("--checkpoint", default=None, help="checkpoint name or alias (needed with --set)")
        flows.add_argument("--set", dest="lines", action="append", default=[], metavar="DIR/MEANS/PURPOSE=PEOPLE[/VEHICLES]",
                           help="e.g. in/car/return=40/12 (repeatable; 0 people removes the line)")
        plan = verbs.add_parser("plan", help="plan a convoy from the waiting list")
        plan.add_argument("--date", type=date_argument, required=True)
        plan.add_argument("--buses", required=True, help="seats per vehicle, e.g. 40,40,3x45,4+2s,30+2w+e (+Ns "
                          "stretcher places, +Nw wheelchair spaces, +e an escort of unaccompanied children)")
        plan.add_argument("--corridor", default=None, help="corridor name or id (default: the only one)")
        plan.add_argument("--escort", default="")
        needs = verbs.add_parser("needs", help="a household's members with their needs; --person P --set NEEDS "
                                 "[--carer C] records one member's (replacing theirs)")
        needs.add_argument("household", help="household reference or id")
        needs.add_argument("--person", type=int, default=None, help="the member's person id")
        needs.add_argument("--set", dest="needs", default=None,
                           help="comma-separated, e.g. elderly,wheelchair,carer (empty: none)")
        needs.add_argument("--carer", type=int, default=None, help="person id of who sits beside them")
        imp = verbs.add_parser("import", help="import registrations or manifests (CSV, XLSX or HXL): good rows are "
                               "kept, bad rows reported as FILE:LINE: reason and quarantined (exit status 3) to be "
                               "fixed at /intake/")
        imp.add_argument("kind", choices=["registrations", "manifest", "flows"])
        imp.add_argument("path", type=Path)
        imp.add_argument("--convoy", type=int, help="manifest: the planned convoy to fill")
        imp.add_argument("--user", default=None, help="account the import is recorded under (default: the system)")
        exp = verbs.add_parser("export-hxl", help="counts per day and settlement as HXL CSV")
        exp.add_argument("--from", dest="first", type=date_argument, default=None,
                         help="first day (default: the mission's first return day)")
        exp.add_argument("--to", dest="last", type=date_argument, default=None)
        exp.add_argument("--output", "-o", type=Path, default=None)
        verbs.add_parser("rebuild", help="recompute the returnee registry and tallies from the movements")
        dup = verbs.add_parser("duplicates", help="search the household registry for duplicate registrations")
        dup.add_argument("--threshold", type=float, default=None, help="lowest probability proposed (default 0.9)")

    def handle(self, *args, verb: str, **options):
        with acting_as("system:cli"):
            getattr(self, "_" + verb.replace("-", "_"))(**options)

    def _count(self, as_of, **_options):
        from peaceops.returns.services import flow_summary, returned_as_of

        day = as_of or operation_day()
        count = returned_as_of(day)
        self.stdout.write(f"total: {count.total}")
        self.stdout.write(f"  escorted convoys: {count.escorted}")
        self.stdout.write(f"  self-organised: {count.self_organised}")
        for place, n in count.by_destination:
            self.stdout.write(f"{place.name}: {n}")
        self.stdout.write(f"last 24 hours: {count.last_24h}")
        flows = flow_summary(day, day)
        self.stdout.write(f"flow counts that day (outside convoys, not in the total): {flows.incoming} entering, "
                          f"{flows.outgoing} leaving")

    def _flows(self, day, checkpoint, lines, **_options):
        from peaceops.returns.services import flow_summary, record_flow_counts
        from peaceops.returns.services.inputs import resolve_place

        day = day or operation_day()
        place = None
        if checkpoint:
            from peaceops.core.models.places import PlaceKind

            try:
                place = resolve_place(checkpoint, (PlaceKind.CHECKPOINT,))
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
        if lines:
            if place is None:
                raise CommandError("name the checkpoint with --checkpoint")
            try:
                record_flow_counts(place, day, [_flow_line(text) for text in lines])
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
        summary = flow_summary(day, day, place)
        self.stdout.write(f"{day.isoformat()}: {summary.incoming} entering ({summary.returns} coming home), "
                          f"{summary.outgoing} leaving ({summary.departures} departing), "
                          f"{summary.secondary} secondary displacement")
        for cp, incoming, outgoing in summary.by_checkpoint:
            self.stdout.write(f"{cp.name}: {incoming} in, {outgoing} out")
        for label, incoming, outgoing in summary.by_purpose:
            self.stdout.write(f"  {label}: {incoming} in, {outgoing} out")

    def _plan(self, date, buses, corridor, escort, **_options):
        from peaceops.returns.models import Corridor
        from peaceops.returns.services import plan_convoy
        from peaceops.returns.services.inputs import parse_buses
        from peaceops.returns.services.planning import reason_text

        corridors = Corridor.objects.all()
        if corridor:
            corridors = corridors.filter(pk=record_number(corridor)) if record_number(corridor) else corridors.filter(name=corridor)
        if corridors.count() != 1:
            raise CommandError("name exactly one corridor with --corridor")
        try:
            result = plan_convoy(corridors.get(), date, parse_buses(buses), escort=escort)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(f"convoy {result.convoy.pk}: {result.people} people in {len(result.placed)} households, "
                          f"{result.seats} seats")
        for pk, code in result.unplaceable[:50]:
            person = f" (person {result.whom[pk]})" if pk in result.whom else ""
            self.stdout.write(f"not placed: household {pk}{person}: {reason_text(code)}")
        for index, destinations in result.mixed.items():
            self.stdout.write(f"bus {index + 1} serves {len(destinations)} destinations (not enough vehicles to keep "
                              f"them apart)")
        if len(result.unplaceable) > 50:
            self.stdout.write(f"… and {len(result.unplaceable) - 50} more households not placed")

    def _needs(self, household, person, needs, carer, **_options):
        from peaceops.core.models import Person
        from peaceops.returns.models import Household
        from peaceops.returns.services import set_member_needs

        found = Household.objects.filter(reference=household).first() or (
            Household.objects.filter(pk=record_number(household)).first() if record_number(household) else None)
        if found is None:
            raise CommandError(f"no household {household}")
        if person is not None:
            member = found.members.filter(person_id=person).first()
            if member is None:
                raise CommandError(f"person {person} is not a member of household {found.pk}")
            if needs is None:
                raise CommandError("say --set NEEDS (empty for none)")
            carer_person = Person.objects.filter(pk=carer).first() if carer is not None else None
            if carer is not None and carer_person is None:
                raise CommandError(f"no person {carer}")
            try:
                set_member_needs(member, needs, carer=carer_person)
            except ValidationError as exc:
                raise CommandError("; ".join(exc.messages)) from None
        for member in found.members.all():
            labels = ", ".join(member.needs_labels()) or "-"
            carer_text = f"; carer: person {member.carer_id}" if member.carer_id else ""
            self.stdout.write(f"person {member.person_id} ({member.relationship or '-'}): {labels}{carer_text}")

    def _import(self, kind, path, convoy, user, **_options):
        from peaceops.intake import cli
        from peaceops.returns.imports import SPECS

        extra = {"convoy": convoy} if convoy is not None else {}
        cli.run_file(self, SPECS[kind], path, cli.account(user), extra)

    def _export_hxl(self, first, last, output, **_options):
        from peaceops.core import mission
        from peaceops.returns.services.exporting import export_hxl

        first = first or mission.first_return_day()
        last = last or operation_day()
        command_span(first, last)
        text = export_hxl(first, last)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"written to {output}")
        else:
            self.stdout.write(text, ending="")

    def _rebuild(self, **_options):
        from peaceops.returns.services import rebuild_tallies

        self.stdout.write(f"returnees: {rebuild_tallies()}")

    def _duplicates(self, threshold, **_options):
        from peaceops.returns.services.duplicates import find_duplicates

        try:
            result = find_duplicates(None, threshold, progress=lambda message: self.stderr.write(message))
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(result.summary())


def _flow_line(text: str):
    """"in/car/return=40/12" → FlowLine("in", "car", "return", 40, 12)."""
    from peaceops.returns.services import FlowLine

    try:
        key, _eq, counts = text.partition("=")
        direction, vehicle, purpose = (part.strip() for part in key.split("/"))
        numbers = [int(n) for n in counts.split("/")]
        return FlowLine(direction, vehicle, purpose, numbers[0], numbers[1] if len(numbers) > 1 else 0)
    except ValueError:
        raise CommandError(f"--set {text!r}: write DIRECTION/MEANS/PURPOSE=PEOPLE[/VEHICLES], "
                           "e.g. in/car/return=40/12") from None

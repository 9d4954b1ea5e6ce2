"""Business rules of the returns module; views, API, CLI, imports and the scenario all call these."""

from peaceops.returns.services.convoys import (
    add_cargo,
    add_household_to_convoy,
    arrive,
    create_convoy,
    dispatch,
    pass_checkpoint,
    remove_household_from_convoy,
    resolve_headcount,
    turn_back,
)
from peaceops.returns.services.corridors import create_corridor, set_corridor_status
from peaceops.returns.services.counting import (
    ReturnedCount,
    daily_first_arrivals,
    follow_merges,
    rebuild_tallies,
    record_first_arrivals,
    returned_as_of,
    returned_before,
)
from peaceops.returns.services.flows import FlowLine, flow_summary, record_flow_counts
from peaceops.returns.services.households import MemberSpec, parse_needs, register_household, set_member_needs
from peaceops.returns.services.movements import record_household_movement
from peaceops.returns.services.planning import PlanResult, plan_convoy

__all__ = [
    "FlowLine", "flow_summary", "record_flow_counts", "record_household_movement", "resolve_headcount",
    "MemberSpec", "PlanResult", "ReturnedCount", "add_cargo", "add_household_to_convoy", "arrive", "create_convoy",
    "create_corridor", "daily_first_arrivals", "dispatch", "follow_merges", "pass_checkpoint", "plan_convoy",
    "rebuild_tallies", "record_first_arrivals", "register_household", "remove_household_from_convoy",
    "returned_as_of", "returned_before", "set_corridor_status", "turn_back", "parse_needs", "set_member_needs",
]

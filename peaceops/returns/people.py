from peaceops.returns.models import HouseholdMember

# Returns officers see the people of the household registry, not those of exchange case files.
PERSON_SCOPES = [("returns.view", lambda: HouseholdMember.objects.values("person_id"))]

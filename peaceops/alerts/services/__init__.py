"""The alerts app's rules: alerts from announced events, acknowledgement and escalation (rules), e-mail and the
signed webhook (delivery), tasks and referrals (work)."""

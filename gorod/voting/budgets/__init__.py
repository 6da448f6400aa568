"""Participatory budgeting on the poll engine: a district decides how to spend money.

A budget round collects projects (from City of Ideas or entered by operators), has experts
review them, and then votes on the feasible ones through an ordinary poll whose one question is
a *budget question* (``Question.budget_roubles``; each option a project with its cost). So the
ballot's secrecy, receipts, Merkle root, public recount, points and the one-ballot race are the
poll engine's, not a second implementation. After the vote, projects are funded greedily by
votes while money remains (CONSUL's rule) and the funded ones become decisions.
"""

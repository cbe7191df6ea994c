"""The only code that writes applications: drafts and parts (drafts.py, parts.py), sending,
withdrawing and the applicant's replies (submission.py), the regulator's actions
(assessment.py), notices and decisions taking effect (decisions.py). Keyword-only, atomic,
audited, emails queued in the same transaction."""

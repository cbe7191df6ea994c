"""The regulator's back office: one case for every item staff must act on, queues, deadlines."""

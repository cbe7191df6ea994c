"""Signed webhooks for care-record software: endpoints a provider's team managers register,
events written in the same transaction as their cause, and delivery through the worker
(see README "Webhooks")."""

"""Citizen consultation (høring): a board opens a proposal to citizens and answers every response."""

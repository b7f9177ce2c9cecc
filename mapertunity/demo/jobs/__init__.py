"""Invented demo data for a fresh install: companies, jobs and two demo accounts.

Everything here is generated from a seed, so the same seed always gives the same rows.
The text is composed from word lists written for this project; no real company appears.
"""

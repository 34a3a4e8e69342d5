"""Discover, stage and load documents: plain Python shared by the command line and Dagster."""

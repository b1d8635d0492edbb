"""Tests of reading the input tabs: cells and each tab's reader."""

"""What one sync orchestrates: the pipeline of stages, the fast path of a sync with
nothing new, hand edits of owned tabs, and the garbage collector kept off the cells."""

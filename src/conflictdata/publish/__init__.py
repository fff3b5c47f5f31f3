"""Publishing: the tables, the build of the data package, exports and the codebook."""

"""August Storm 1945: the Soviet-Japanese War, 9 Aug - 2 Sep 1945 (data only)."""

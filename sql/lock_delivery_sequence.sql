lock table delivery in share row exclusive mode

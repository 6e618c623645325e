"""Use-cases. Each function takes the context, a unit of work and the actor, checks permissions,
changes rows through the unit of work and never commits."""

"""Playbook task types: one module each, registered in `registry.TASK_TYPES`; a new type is one module."""

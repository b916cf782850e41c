"""综合网格: grid workers: patrol reports, on-the-spot resolution, tasks from the hub."""

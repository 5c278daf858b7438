"""What billing adds to the shared registries: audit actions and notification kinds."""

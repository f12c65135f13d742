package lib.clients;

import java.util.Set;

import lib.Availability;
import lib.Client;
import lib.Workspace;

/**
 * A client of the upstream matrix that this harness does not drive yet. It is
 * listed so the matrix shows the gap: its cells are unavailable, never passed.
 */
public final class PlannedClient implements Client {
    private final String name;
    private final Set<Role> roles;

    public PlannedClient(String name, Set<Role> roles) {
        this.name = name;
        this.roles = Set.copyOf(roles);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<Role> roles() {
        return roles;
    }

    @Override
    public Availability check() {
        return Availability.unavailable("not implemented yet");
    }

    @Override
    public Availability prepare(Workspace workspace) {
        return check();
    }

    @Override
    public Launch publish(Target target) {
        throw new IllegalStateException(name + " is not implemented yet");
    }

    @Override
    public Launch subscribe(Target target) {
        throw new IllegalStateException(name + " is not implemented yet");
    }
}

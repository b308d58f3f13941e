package io.longshore.deploy.converge;

import io.longshore.kit.engine.model.Container;
import io.longshore.kit.engine.model.PublishedPort;
import java.util.ArrayList;
import java.util.List;

/**
 * A container that publishes a host port now, as {@code GET /containers/json} lists it, with the
 * Swarm service, task and stack it belongs to (empty for a container started outside Swarm).
 * A stopped container lists no ports, so it holds none.
 *
 * @param port {@code 8080/tcp}
 */
public record PortHolder(String port, String container, String serviceId, String serviceName, String taskId, String stack) {
    /** One holder per published port of each container in {@code containers}. */
    public static List<PortHolder> of(List<Container> containers) {
        List<PortHolder> out = new ArrayList<>();
        for (Container c : containers) {
            String name = c.name();
            for (PublishedPort p : c.ports()) {
                String port = p.published() + "/" + p.protocol();
                if (p.published() > 0 && out.stream().noneMatch(h -> h.port.equals(port) && h.container.equals(name))) {
                    out.add(new PortHolder(port, name, label(c, Container.SWARM_SERVICE_ID), label(c, Container.SWARM_SERVICE_NAME),
                            label(c, Container.SWARM_TASK_ID), label(c, io.longshore.kit.stack.RunLabels.STACK_NAMESPACE)));
                }
            }
        }
        return out;
    }

    private static String label(Container c, String key) {
        String v = c.label(key);
        return v == null ? "" : v;
    }

    /** The service's name for a Swarm task's container, else the container's. */
    public String name() {
        return serviceName.isEmpty() ? container : serviceName;
    }
}

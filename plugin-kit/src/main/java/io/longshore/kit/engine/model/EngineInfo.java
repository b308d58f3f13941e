package io.longshore.kit.engine.model;

import com.fasterxml.jackson.databind.JsonNode;

/** What {@code GET /info} says about the engine and its place in a swarm. */
public record EngineInfo(String name, String serverVersion, String nodeId, String swarmState, boolean controlAvailable,
                         String swarmError, int nodes, int managers) {
    public static EngineInfo from(JsonNode n) {
        JsonNode swarm = n.path("Swarm");
        return new EngineInfo(Json.textOr(n, "Name", ""), Json.textOr(n, "ServerVersion", ""), Json.textOr(swarm, "NodeID", ""),
                Json.textOr(swarm, "LocalNodeState", "inactive"), swarm.path("ControlAvailable").asBoolean(false),
                Json.textOr(swarm, "Error", ""), swarm.path("Nodes").asInt(0), swarm.path("Managers").asInt(0));
    }

    /** Part of an active swarm. */
    public boolean inSwarm() {
        return "active".equals(swarmState);
    }

    /** Services, tasks, secrets and configs can be listed (and changed) here. */
    public boolean swarmManager() {
        return inSwarm() && controlAvailable;
    }
}

package org.kinto4j.server.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.kinto4j.server.errors.ServiceError;
import org.kinto4j.server.json.Json;
import org.kinto4j.server.storage.ObjectStore;
import org.kinto4j.server.storage.Tx;

/**
 * Kinto's JSON-Schema support (spec 11, upstream {@code kinto/schema_validation.py}):
 * <ul>
 * <li>the schema fields of buckets ({@code collection:schema}, {@code group:schema},
 * {@code record:schema}) and collections ({@code schema}) must be objects valid against the
 * Draft 7 meta-schema, on every write, whatever the setting;</li>
 * <li>with {@code experimental_collection_schema_validation}, records are validated against their
 * collection's {@code schema} (and stamped with its version in {@code schema}), then against the
 * bucket's {@code record:schema}; collections and groups against the bucket's
 * {@code collection:schema} / {@code group:schema}.</li>
 * </ul>
 * Errors are 400 errno 107 with one {@code details} entry named like Kinto names it and Python
 * jsonschema's wording for the usual keywords. Compiled schemas are cached by content; remote
 * {@code $ref}s are never fetched.
 */
public final class SchemaValidator {

    private static final String DRAFT_7 = "http://json-schema.org/draft-07/schema#";
    private static final int CACHE_LIMIT = 1000;

    private final boolean enabled;
    private final ObjectStore objects;
    private final Map<String, Schema> cache = new ConcurrentHashMap<>();
    private volatile Schemas schemas;

    /** The JSON-schema library's registry and the draft-7 meta-schema: built on first use, not at start-up. */
    private record Schemas(SchemaRegistry registry, Schema draft7) {
    }

    public SchemaValidator(boolean enabled, ObjectStore objects) {
        this.enabled = enabled;
        this.objects = objects;
    }

    private Schemas schemas() {
        Schemas s = schemas;
        if (s == null) {
            synchronized (this) {
                s = schemas;
                if (s == null) {
                    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                            b -> b.schemaLoader(loader -> loader.fetchRemoteResources(false)));
                    s = new Schemas(registry, registry.getSchema(SchemaLocation.of(DRAFT_7)));
                    schemas = s;
                }
            }
        }
        return s;
    }

    /**
     * Validates the object about to be stored (its {@code id} set, no {@code last_modified}),
     * possibly adding the record's {@code schema} version. Runs after the resource's own rules.
     */
    public void process(Tx tx, Target t, ObjectNode data) {
        switch (t.kind()) {
            case BUCKET -> {
                for (String field : List.of("collection:schema", "group:schema", "record:schema")) {
                    checkSchemaField(data, field);
                }
            }
            case COLLECTION -> {
                checkSchemaField(data, "schema");
                JsonNode cacheExpires = data.get("cache_expires");
                if (cacheExpires != null && !cacheExpires.isNumber()
                        && !(cacheExpires.isTextual() && cacheExpires.textValue().trim().matches("-?[0-9]+"))) {
                    throw ServiceError.invalid("body", "data.cache_expires",
                            PythonRepr.of(cacheExpires).replace('\'', '"') + " is not a number");
                }
                if (enabled) {
                    validateFromBucket(tx, t, data, "collection");
                }
            }
            case GROUP -> {
                if (enabled) {
                    validateFromBucket(tx, t, data, "group");
                }
            }
            case RECORD -> {
                if (enabled) {
                    validateRecord(tx, t, data);
                }
            }
            default -> throw new IllegalStateException(t.kind().name());
        }
    }

    private void validateRecord(Tx tx, Target t, ObjectNode data) {
        ObjectNode collection = objects.get(tx, "collection", "/buckets/" + t.bucketId(), t.collectionId())
                .orElseThrow(() -> ServiceError.parentNotFound(t.collectionId(), "collection"));
        JsonNode schema = collection.get("schema");
        if (schema != null && schema.isObject()) {
            validate(data, (ObjectNode) schema, Set.of("last_modified", "schema"));
            data.set("schema", collection.get("last_modified"));
        }
        validateFromBucket(tx, t, data, "record");
    }

    private void validateFromBucket(Tx tx, Target t, ObjectNode data, String resource) {
        ObjectNode bucket = objects.get(tx, "bucket", "", t.bucketId())
                .orElseThrow(() -> ServiceError.parentNotFound(t.bucketId(), "bucket"));
        JsonNode schema = bucket.get(resource + ":schema");
        if (schema != null && schema.isObject()) {
            Set<String> ignored = resource.equals("record") ? Set.of("last_modified", "schema") : Set.of("last_modified");
            validate(data, (ObjectNode) schema, ignored);
        }
    }

    /** A schema field of a bucket or collection must be a JSON object valid against Draft 7. */
    private void checkSchemaField(ObjectNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null) {
            return;
        }
        String name = "data." + field;
        if (!value.isObject()) {
            throw ServiceError.invalid("body", name, (value.isTextual() ? "\"" + value.textValue() + "\""
                    : value.toString()) + " is not a mapping type: Does not implement dict-like functionality.");
        }
        List<Error> errors = schemas().draft7().validate(value);
        if (!errors.isEmpty()) {
            Error first = errors.get(0);
            NodePath at = first.getInstanceLocation();
            String prefix = at.getNameCount() == 0 ? "" : String.valueOf(at.getElement(at.getNameCount() - 1));
            throw ServiceError.invalid("body", name, prefix + message(first, errors));
        }
    }

    /** Upstream {@code validate_schema}: ignored fields leave the data and the schema's required list. */
    private void validate(ObjectNode data, ObjectNode schema, Set<String> ignoredFields) {
        boolean declaresId = schema.path("properties").isObject() && schema.get("properties").has("id");
        ObjectNode effective = schema;
        JsonNode required = schema.get("required");
        if (required != null && required.isArray()) {
            ArrayNode kept = Json.array();
            for (JsonNode r : required) {
                if (!(r.isTextual() && (ignoredFields.contains(r.textValue()) || (!declaresId && r.textValue().equals("id"))))) {
                    kept.add(r);
                }
            }
            effective = schema.deepCopy();
            if (kept.isEmpty()) {
                effective.remove("required");
            } else {
                effective.set("required", kept);
            }
        }
        ObjectNode instance = data.deepCopy();
        instance.remove(ignoredFields);
        if (!declaresId) {
            instance.remove("id");
        }
        List<Error> errors;
        try {
            errors = compiled(effective).validate(instance);
        } catch (SchemaException e) {
            throw ServiceError.invalid("body", "schema", e.getMessage());
        }
        if (!errors.isEmpty()) {
            Error first = errors.get(0);
            throw invalidData(fieldName(first), message(first, errors));
        }
    }

    private Schema compiled(ObjectNode schema) {
        String key = Json.write(schema);
        Schema s = cache.get(key);
        if (s == null) {
            s = schemas().registry().getSchema(schema);
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
            cache.put(key, s);
        }
        return s;
    }

    /** A 400 whose details name may be a number (an array index), as Kinto's does. */
    private static ServiceError invalidData(Object name, String description) {
        ArrayNode details = Json.array();
        ObjectNode d = details.addObject();
        d.put("location", "body");
        String nameText = String.valueOf(name);
        if (name instanceof Integer i) {
            d.put("name", i);
        } else {
            d.put("name", nameText);
        }
        d.put("description", description);
        String message = description.contains(nameText) ? description : nameText + " in body: " + description;
        return ServiceError.invalid(message, details);
    }

    /**
     * Upstream's field name: the last element of the instance path; for errors on the object itself
     * the last element of the keyword's value (the last name of {@code required}), else the keyword.
     */
    private static Object fieldName(Error e) {
        NodePath at = e.getInstanceLocation();
        if (at.getNameCount() > 0) {
            return at.getElement(at.getNameCount() - 1);
        }
        JsonNode value = e.getSchemaNode();
        if (value != null) {
            if (value.isArray() && value.size() > 0) {
                JsonNode last = value.get(value.size() - 1);
                return last.isTextual() ? last.textValue() : last.toString();
            }
            if (value.isTextual() && !value.textValue().isEmpty()) {
                String s = value.textValue();
                return s.substring(s.length() - 1);
            }
        }
        return e.getKeyword();
    }

    /** Python jsonschema's message for the first error (networknt reports anyOf/oneOf branch by branch). */
    private static String message(Error e, List<Error> all) {
        JsonNode instance = e.getInstanceNode();
        String repr = PythonRepr.of(instance);
        String path = String.valueOf(e.getEvaluationPath());
        if (path.contains("/anyOf/") || path.contains("/oneOf/")) {
            return repr + " is not valid under any of the given schemas";
        }
        JsonNode value = e.getSchemaNode();
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        switch (keyword) {
            case "required":
                return "'" + e.getProperty() + "' is a required property";
            case "type": {
                List<String> types = new ArrayList<>();
                if (value != null && value.isArray()) {
                    value.forEach(v -> types.add(PythonRepr.of(v)));
                } else if (value != null) {
                    types.add(PythonRepr.of(value));
                }
                return repr + " is not of type " + String.join(", ", types);
            }
            case "additionalProperties": {
                List<String> extras = new ArrayList<>();
                for (Error other : all) {
                    if ("additionalProperties".equals(other.getKeyword())
                            && other.getInstanceLocation().equals(e.getInstanceLocation())) {
                        extras.add("'" + other.getProperty() + "'");
                    }
                }
                return "Additional properties are not allowed (" + String.join(", ", extras)
                        + (extras.size() == 1 ? " was" : " were") + " unexpected)";
            }
            case "enum":
                return repr + " is not one of " + PythonRepr.of(value);
            case "const":
                return PythonRepr.of(value) + " was expected";
            case "minimum":
                return repr + " is less than the minimum of " + PythonRepr.of(value);
            case "maximum":
                return repr + " is greater than the maximum of " + PythonRepr.of(value);
            case "exclusiveMinimum":
                return repr + " is less than or equal to the minimum of " + PythonRepr.of(value);
            case "exclusiveMaximum":
                return repr + " is greater than or equal to the maximum of " + PythonRepr.of(value);
            case "minLength":
            case "minItems":
                return repr + (value != null && value.asInt() == 1 ? " should be non-empty" : " is too short");
            case "maxLength":
            case "maxItems":
                return repr + (value != null && value.asInt() == 0 ? " is expected to be empty" : " is too long");
            case "minProperties":
                return repr + (value != null && value.asInt() == 1 ? " should be non-empty"
                        : " does not have enough properties");
            case "maxProperties":
                return repr + (value != null && value.asInt() == 0 ? " is expected to be empty"
                        : " has too many properties");
            case "pattern":
                return repr + " does not match " + PythonRepr.of(value);
            case "format":
                return repr + " is not a " + PythonRepr.of(value);
            case "multipleOf":
                return repr + " is not a multiple of " + (value == null ? "" : value.asText());
            case "uniqueItems":
                return repr + " has non-unique elements";
            case "not":
                return repr + " should not be valid under " + PythonRepr.of(value);
            case "false":
                return "False schema does not allow " + repr;
            default:
                return e.getMessage();
        }
    }

}

package fr.mssante.operator.directory.lookup;

/**
 * A directory search; every non-blank criterion must match, ignoring case and accents. {@code name} matches each of
 * its words anywhere in the first name, last name or (for ORG mailboxes) the organisation name; {@code profession}
 * and {@code specialty} match a code exactly or a word in the label; {@code city} matches within the city name;
 * {@code kind} is PER, ORG, APP or CAB.
 */
public record SearchQuery(String name, String profession, String specialty, String city, String kind, int offset,
                          int limit) {

    public static final int MAX_LIMIT = 500;

    public SearchQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset < 0");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_LIMIT);
        }
    }

    public static SearchQuery byName(String name) {
        return new SearchQuery(name, null, null, null, null, 0, 20);
    }

    public SearchQuery withCity(String value) {
        return new SearchQuery(name, profession, specialty, value, kind, offset, limit);
    }

    public SearchQuery withProfession(String value) {
        return new SearchQuery(name, value, specialty, city, kind, offset, limit);
    }

    public SearchQuery withSpecialty(String value) {
        return new SearchQuery(name, profession, value, city, kind, offset, limit);
    }

    public SearchQuery page(int newOffset, int newLimit) {
        return new SearchQuery(name, profession, specialty, city, kind, newOffset, newLimit);
    }
}

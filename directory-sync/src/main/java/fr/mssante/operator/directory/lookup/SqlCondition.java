package fr.mssante.operator.directory.lookup;

import java.util.ArrayList;
import java.util.List;

/** A WHERE fragment with its bind values (strings only). */
public record SqlCondition(String sql, List<String> parameters) {

    public static final SqlCondition TRUE = new SqlCondition("TRUE", List.of());
    public static final SqlCondition FALSE = new SqlCondition("FALSE", List.of());

    public static SqlCondition of(String sql, String... parameters) {
        return new SqlCondition(sql, List.of(parameters));
    }

    public static SqlCondition combine(String operator, List<SqlCondition> parts) {
        if (parts.isEmpty()) {
            return operator.equals("AND") ? TRUE : FALSE;
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        StringBuilder sql = new StringBuilder("(");
        List<String> params = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sql.append(' ').append(operator).append(' ');
            }
            sql.append(parts.get(i).sql());
            params.addAll(parts.get(i).parameters());
        }
        return new SqlCondition(sql.append(')').toString(), List.copyOf(params));
    }

    public SqlCondition not() {
        return new SqlCondition("NOT coalesce(" + sql + ", FALSE)", parameters);
    }
}

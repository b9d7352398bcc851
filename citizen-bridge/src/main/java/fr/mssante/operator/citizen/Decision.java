package fr.mssante.operator.citizen;

/** The rules' answer for one message and one recipient. */
public record Decision(Reason reason) {
    public static final Decision OK = new Decision(Reason.OK);

    public boolean allowed() {
        return reason.allows();
    }

    public static Decision refused(Reason reason) {
        if (reason.allows()) {
            throw new IllegalArgumentException(reason + " is not a refusal");
        }
        return new Decision(reason);
    }
}

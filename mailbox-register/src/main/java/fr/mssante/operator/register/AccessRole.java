package fr.mssante.operator.register;

/** What another identity may do with a mailbox: co-hold it (CAB, ORG), or act as a delegate (read; read and send). */
public enum AccessRole {
    CO_HOLDER, DELEGATE_READ, DELEGATE_SEND;

    public boolean maySend() {
        return this != DELEGATE_READ;
    }
}
